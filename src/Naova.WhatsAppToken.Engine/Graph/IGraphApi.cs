using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Refit;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// The Graph endpoints of docs/graph-api.md. Every method answers the raw response: <see cref="GraphResponseReader"/>
    /// owns the reading, so odd answers become one typed exception. Caller tokens go in the Authorization header,
    /// tokens that are data (input_token) and the app secret in POST bodies (method=GET for the documented GETs);
    /// in a URL only where Graph refuses that POST form (the *InQuery methods).
    /// </summary>
    internal interface IGraphApi
    {
        [Get("/{version}/{businessId}/system_users")]
        Task<HttpResponseMessage> ListSystemUsers(string version, string businessId, string? fields, int? limit, string? after,
            [AliasAs("appsecret_proof")] string? proof, [Authorize("Bearer")] string token, CancellationToken ct);

        [Post("/{version}/{businessId}/system_users")]
        Task<HttpResponseMessage> CreateSystemUser(string version, string businessId,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, [Authorize("Bearer")] string token, CancellationToken ct);

        [Get("/{version}/{objectId}")]
        Task<HttpResponseMessage> GetObject(string version, string objectId, string? fields,
            [AliasAs("appsecret_proof")] string? proof, [Authorize("Bearer")] string token, CancellationToken ct);

        [Get("/{version}/{objectId}/{edge}")]
        Task<HttpResponseMessage> GetEdge(string version, string objectId, string edge, string? fields, int? limit, string? after, string? business,
            [AliasAs("appsecret_proof")] string? proof, [Authorize("Bearer")] string token, CancellationToken ct);

        [Post("/{version}/{systemUserId}/applications")]
        Task<HttpResponseMessage> InstallApp(string version, string systemUserId,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, [Authorize("Bearer")] string token, CancellationToken ct);

        [Post("/{version}/{assetId}/assigned_users")]
        Task<HttpResponseMessage> AssignUser(string version, string assetId,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, [Authorize("Bearer")] string token, CancellationToken ct);

        [Delete("/{version}/{assetId}/assigned_users")]
        Task<HttpResponseMessage> UnassignUser(string version, string assetId, string user,
            [AliasAs("appsecret_proof")] string? proof, [Authorize("Bearer")] string token, CancellationToken ct);

        [Post("/{version}/{systemUserId}/access_tokens")]
        Task<HttpResponseMessage> CreateAccessToken(string version, string systemUserId,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, [Authorize("Bearer")] string token, CancellationToken ct);

        [Delete("/{version}/{systemUserId}/access_tokens")]
        Task<HttpResponseMessage> RevokeAllAccessTokens(string version, string systemUserId,
            [AliasAs("appsecret_proof")] string? proof, [Authorize("Bearer")] string token, CancellationToken ct);

        /// <summary>Batch: POST / with batch=[...]. Also how debug_token is asked without putting a token in a URL.</summary>
        [Post("/{version}/")]
        Task<HttpResponseMessage> Batch(string version,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, [Authorize("Bearer")] string token, CancellationToken ct);

        /// <summary>debug_token as a single call: POST with method=GET, input_token in the form body (Graph serves it as the GET).</summary>
        [Post("/{version}/debug_token")]
        Task<HttpResponseMessage> DebugTokenAsPost(string version,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, [Authorize("Bearer")] string token, CancellationToken ct);

        /// <summary>The documented GET, input_token in the query: only where Graph refuses the POST form.</summary>
        [Get("/{version}/debug_token")]
        Task<HttpResponseMessage> DebugTokenInQuery(string version, [AliasAs("input_token")] string inputToken,
            [AliasAs("appsecret_proof")] string? proof, [Authorize("Bearer")] string token, CancellationToken ct);

        /// <summary>fb_exchange_token, a documented GET: sent as POST with method=GET, client_secret and the token in the body.</summary>
        [Post("/{version}/oauth/access_token")]
        Task<HttpResponseMessage> ExchangeToken(string version,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, CancellationToken ct);

        /// <summary>fb_exchange_token as the documented GET (parameters in the query): only where Graph refuses the POST form.</summary>
        [Get("/{version}/oauth/access_token")]
        Task<HttpResponseMessage> ExchangeTokenInQuery(string version, [Query] IDictionary<string, string> query, CancellationToken ct);

        /// <summary>/oauth/revoke, a documented GET: sent as POST with method=GET, client_secret and revoke_token in the body.</summary>
        [Post("/{version}/oauth/revoke")]
        Task<HttpResponseMessage> RevokeToken(string version,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, [Authorize("Bearer")] string token, CancellationToken ct);

        /// <summary>/oauth/revoke as the documented GET (parameters in the query): only where Graph refuses the POST form.</summary>
        [Get("/{version}/oauth/revoke")]
        Task<HttpResponseMessage> RevokeTokenInQuery(string version, [Query] IDictionary<string, string> query,
            [Authorize("Bearer")] string token, CancellationToken ct);

        /// <summary>One page of a WABA's phone numbers, read with the token under test (the caller's header).</summary>
        [Get("/{version}/{wabaId}/phone_numbers")]
        Task<HttpResponseMessage> PhoneNumbersPage(string version, string wabaId, string fields, int limit,
            [AliasAs("appsecret_proof")] string? proof, [Authorize("Bearer")] string token, CancellationToken ct);
    }
}
