namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>How far a rotation got. Each step leaves a working token where the application reads it.</summary>
    public enum RotationStep
    {
        Planned,
        PreviousKept,
        Created,
        Stored,
        Verified,
        Completed,
    }
}
