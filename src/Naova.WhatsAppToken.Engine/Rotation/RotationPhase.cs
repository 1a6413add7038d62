namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>The step of a rotation that is running, for a progress bar.</summary>
    public enum RotationPhase
    {
        Inspect,
        KeepPrevious,
        Create,
        Store,
        Verify,
        Revoke,
        RemovePrevious,
    }
}
