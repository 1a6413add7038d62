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
            CreatedTime = user.CreatedTime,
            Created = created,
            Connection = connection,
        };

        /// <summary>Meta's ADMIN/EMPLOYEE as the module's Admin/Employee; anything new passes through.</summary>
        public static string RoleName(string? role)
        {
            if (string.Equals(role, "ADMIN", StringComparison.OrdinalIgnoreCase)) return nameof(WaSystemUserRole.Admin);
            if (string.Equals(role, "EMPLOYEE", StringComparison.OrdinalIgnoreCase)) return nameof(WaSystemUserRole.Employee);
            return role ?? string.Empty;
        }

        public static string GraphRole(WaSystemUserRole role) => role.ToString().ToUpper(CultureInfo.InvariantCulture);
    }
}
