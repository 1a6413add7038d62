using System;
using System.Globalization;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken
{
    /// <summary>Engine answers as the objects the pipeline carries.</summary>
    internal static class Map
    {
        public static WaSystemUser SystemUser(SystemUserInfo user, WaConnection connection, bool created) => new WaSystemUser
        {
            Id = user.Id,
            Name = user.Name ?? string.Empty,
            Role = RoleName(user.Role),
            BusinessId = connection.BusinessId,
            CreatedTime = GraphTime(user.CreatedTime),
            Created = created,
            Connection = connection,
        };

        /// <summary>Meta's datetime fields ("2026-12-01T15:21:20+0000"); null when absent or not a time.</summary>
        public static DateTimeOffset? GraphTime(string? text)
        {
            if (string.IsNullOrEmpty(text)) return null;
            // Meta writes the offset without a colon (+0000), which the round-trip formats do not read.
            string iso = System.Text.RegularExpressions.Regex.Replace(text, @"([+-]\d{2})(\d{2})$", "$1:$2");
            return DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : (DateTimeOffset?)null;
        }

        /// <summary>Meta's ADMIN/EMPLOYEE as the module's Admin/Employee; anything new passes through.</summary>
        public static string RoleName(string? role)
        {
            if (string.Equals(role, "ADMIN", StringComparison.OrdinalIgnoreCase)) return nameof(WaSystemUserRole.Admin);
            if (string.Equals(role, "EMPLOYEE", StringComparison.OrdinalIgnoreCase)) return nameof(WaSystemUserRole.Employee);
            return role ?? string.Empty;
        }

        public static string GraphRole(WaSystemUserRole role) => role.ToString().ToUpper(CultureInfo.InvariantCulture);

        /// <summary>
        /// The engine's verdict as a report's status, name for name. Written out, not cast through int: the two enums
        /// are numbered apart (WaTokenStatus also has Unknown and Skipped), and a value added to the engine's must fail
        /// here rather than become another status.
        /// </summary>
        public static WaTokenStatus Status(Engine.Tokens.TokenHealth health)
        {
            switch (health)
            {
                case Engine.Tokens.TokenHealth.Healthy:
                    return WaTokenStatus.Healthy;
                case Engine.Tokens.TokenHealth.Warning:
                    return WaTokenStatus.Warning;
                case Engine.Tokens.TokenHealth.Failed:
                    return WaTokenStatus.Failed;
                default:
                    throw new ArgumentOutOfRangeException(nameof(health), health, null);
            }
        }
    }
}
