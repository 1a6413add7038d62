namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>Why a store could not read, write or remove: its words, and its own record of it for the caller to report.</summary>
    public sealed class StoreFailure
    {
        public StoreFailure(string message, object? detail = null)
        {
            Message = message;
            Detail = detail;
        }

        public string Message { get; }

        /// <summary>What the store made of the failure (the module's error record), passed through untouched.</summary>
        public object? Detail { get; }

        /// <summary>Set by a store's read when there is no token under the name: not a failure for a kept copy.</summary>
        public bool Missing { get; set; }
    }
}
