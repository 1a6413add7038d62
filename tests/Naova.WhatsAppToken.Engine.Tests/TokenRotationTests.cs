using System.Security;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Rotation;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// The engine's rotation, without PowerShell: a store in memory that can be told to fail, the Graph emulator over real
/// HTTP, and a sink that records what happened. Each step's failure must leave a working token where the application
/// reads it and no token at Meta that nobody holds.
/// </summary>
[Collection(nameof(StateFolder))] // the state folder is the process's environment
public sealed class TokenRotationTests : IDisposable
{
    private const string Name = "WHATSAPP_ACCESS_TOKEN";
    private const string Previous = Name + "_PREVIOUS";
    private const string Other = "OTHER_TOKEN";
    private readonly string? _stateBefore = Environment.GetEnvironmentVariable(StateFolder.Variable);
    private readonly string _state = Path.Combine(Path.GetTempPath(), "naova-rotation-" + Guid.NewGuid().ToString("N"));

    public TokenRotationTests() => Environment.SetEnvironmentVariable(StateFolder.Variable, _state);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(StateFolder.Variable, _stateBefore);
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task A_rotation_stores_the_new_token_revokes_the_old_and_removes_the_kept_copy()
    {
        await using var w = await World.StartAsync();

        var (done, sink) = w.Rotate();

        Assert.True(done);
        string stored = w.Store.FingerprintOf(Name)!;
        Assert.NotEqual(w.First, stored);
        Assert.True(w.Works(stored));
        Assert.False(w.Works(w.First));
        Assert.Null(w.Store.FingerprintOf(Previous));
        Assert.Equal(new[] { "Inspect", "KeepPrevious", "Create", "Store", "Verify", "Revoke", "RemovePrevious" }, sink.Phases);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public async Task Keeping_the_previous_token_fails_and_nothing_is_asked_of_Meta_and_nothing_changes()
    {
        await using var w = await World.StartAsync();
        w.Store.FailWrite = name => name == Previous;

        var (done, sink) = w.Rotate();

        Assert.False(done);
        Assert.Equal(RotationStop.NothingChanged, sink.Stop);
        Assert.Equal(w.First, w.Store.FingerprintOf(Name));
        Assert.Equal(1, w.TokensOfUser);
        Assert.True(w.Works(w.First));
    }

    [Fact]
    public async Task Meta_refusing_to_make_the_token_leaves_the_stored_one_working()
    {
        await using var w = await World.StartAsync();
        w.Emulator.Faults.Enqueue(FaultSpec.GraphError(400, 100, message: "(#100) Invalid parameter"), 1, "/access_tokens");

        var (done, sink) = w.Rotate();

        Assert.False(done);
        Assert.Equal(RotationStop.NotCreated, sink.Stop);
        Assert.NotNull(sink.Facts!.GraphError);
        Assert.Equal(RotationStep.PreviousKept, sink.Facts.State.Step);
        Assert.Equal(w.First, w.Store.FingerprintOf(Name));
        Assert.True(w.Works(w.First));
        Assert.Equal(1, w.TokensOfUser);
    }

    [Fact]
    public async Task A_store_that_fails_to_take_the_new_token_hands_it_back_to_keep_and_the_old_one_stays()
    {
        await using var w = await World.StartAsync();
        w.Store.FailWrite = name => name == Name;

        var (done, sink) = w.Rotate();

        Assert.False(done);
        Assert.Equal(RotationStop.NewNotStored, sink.Stop);
        var kept = sink.Facts!.Keep;
        Assert.NotNull(kept);
        Assert.Equal(TokenFingerprint.Of(kept!.Token), kept.Fingerprint);
        Assert.NotEqual(w.First, kept.Fingerprint);
        Assert.True(w.Works(kept.Fingerprint));
        Assert.Equal(w.First, w.Store.FingerprintOf(Name));
        Assert.True(w.Works(w.First));
    }

    [Fact]
    public async Task Verification_Meta_does_not_answer_leaves_the_new_token_stored_and_the_old_one_working_and_kept()
    {
        await using var w = await World.StartAsync();
        // The next request after the new token is stored is the verification's.
        w.Store.AfterWrite = name => { if (name == Name) w.Emulator.Faults.Enqueue(FaultSpec.GraphError(503, 2, isTransient: true)); };

        var (done, sink) = w.Rotate();

        Assert.False(done);
        Assert.Equal(RotationStop.NotVerified, sink.Stop);
        string stored = w.Store.FingerprintOf(Name)!;
        Assert.NotEqual(w.First, stored);
        Assert.True(w.Works(stored));
        Assert.Equal(w.First, w.Store.FingerprintOf(Previous));
        Assert.True(w.Works(w.First));
    }

    [Fact]
    public async Task A_new_token_that_proves_wrong_is_put_back_and_revoked()
    {
        await using var w = await World.StartAsync();
        w.Emulator.Faults.Enqueue(FaultSpec.GraphError(403, 200, message: "(#200) Requires whatsapp_business_management permission"), 1, "phone_numbers");

        var (done, sink) = w.Rotate();

        Assert.False(done);
        Assert.Equal(RotationStop.PutBack, sink.Stop);
        Assert.Equal(RotationFlaw.WhatsAppReadRefused, sink.Facts!.Flaw);
        Assert.True(sink.Facts.Revoked);
        Assert.Equal(w.First, w.Store.FingerprintOf(Name));
        Assert.True(w.Works(w.First));
        Assert.False(w.Works(sink.Facts.Fingerprint));
    }

    [Fact]
    public async Task Revoking_the_old_token_fails_and_it_stays_working_and_kept()
    {
        await using var w = await World.StartAsync();
        w.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 2, isTransient: true), 1, "oauth/revoke");

        var (done, sink) = w.Rotate();

        Assert.False(done);
        Assert.Equal(RotationStop.NotRevoked, sink.Stop);
        Assert.Equal(RotationStep.Verified, sink.Facts!.State.Step);
        Assert.True(w.Works(w.Store.FingerprintOf(Name)));
        Assert.Equal(w.First, w.Store.FingerprintOf(Previous));
        Assert.True(w.Works(w.First));
    }

    [Fact]
    public async Task Removing_the_revoked_copy_fails_with_a_warning_and_the_rotation_completes()
    {
        await using var w = await World.StartAsync();
        w.Store.FailRemove = true;

        var (done, sink) = w.Rotate();

        Assert.True(done);
        Assert.Equal(new[] { RotationWarning.PreviousNotRemoved }, sink.Warnings);
        Assert.Equal(w.First, w.Store.FingerprintOf(Previous));
        Assert.False(w.Works(w.First));
    }

    [Fact]
    public async Task A_definite_refusal_closes_the_journal_so_no_later_token_of_another_secret_is_adopted()
    {
        await using var w = await World.StartAsync();
        w.Emulator.Faults.Enqueue(FaultSpec.GraphError(400, 100, message: "(#100) Invalid parameter"), 1, "/access_tokens");
        var (refused, first) = w.Rotate();
        Assert.False(refused);
        Assert.Equal(RotationStop.NotCreated, first.Stop);
        // Another secret of the same system user is rotated meanwhile: Meta now holds a token made after the question.
        var other = await w.Client.CreateSystemUserTokenAsync(w.UserId, w.Emulator.Seed.AppId, WhatsAppScopes.Required, false, CancellationToken.None);
        string otherFingerprint = TokenFingerprint.Of(other.Token);

        var (done, sink) = w.Rotate();

        Assert.True(done);
        Assert.DoesNotContain(RotationWarning.JournalRecovered, sink.Warnings);
        string stored = w.Store.FingerprintOf(Name)!;
        Assert.NotEqual(otherFingerprint, stored);
        Assert.True(w.Works(stored));
        Assert.True(w.Works(otherFingerprint));
    }

    [Fact]
    public async Task A_token_an_interrupted_run_left_at_Meta_is_adopted_from_the_journal_and_no_other_is_made()
    {
        await using var w = await World.StartAsync();
        // The run stops with the journal saying what it asked.
        Assert.False(w.RotateLosingTheAnswer());
        Assert.Equal(2, w.TokensOfUser);

        var (done, sink) = w.Rotate();

        Assert.True(done);
        Assert.Contains(RotationWarning.JournalRecovered, sink.Warnings);
        Assert.Equal(2, w.TokensOfUser);
        string stored = w.Store.FingerprintOf(Name)!;
        Assert.True(w.Works(stored));
        Assert.False(w.Works(w.First));
    }

    [Fact]
    public async Task A_journal_with_no_fingerprint_adopts_no_token_another_secret_of_the_store_holds()
    {
        await using var w = await World.StartAsync();
        // The journal names the question and no token, as after a kill.
        Assert.False(w.RotateLosingTheAnswer());
        // Another secret of the same system user, in the same store, is rotated before the re-run: its new token is
        // now Meta's latest for the user, issued after the journal's question.
        var other = await w.Client.CreateSystemUserTokenAsync(w.UserId, w.Emulator.Seed.AppId, WhatsAppScopes.Required, false, CancellationToken.None);
        w.Store[Other] = new StoredToken { Token = other.Token, Fingerprint = TokenFingerprint.Of(other.Token) };
        Assert.True(w.Rotate(name: Other).Done);
        string othersNew = w.Store.FingerprintOf(Other)!;

        var (done, sink) = w.Rotate();

        Assert.True(done);
        Assert.DoesNotContain(RotationWarning.JournalRecovered, sink.Warnings);
        Assert.Contains(RotationWarning.JournalUnproven, sink.Warnings);
        string stored = w.Store.FingerprintOf(Name)!;
        Assert.NotEqual(othersNew, stored);
        Assert.Equal(othersNew, w.Store.FingerprintOf(Other));
        Assert.True(w.Works(stored));
        Assert.True(w.Works(othersNew));
        Assert.False(w.Works(w.First));
    }

    [Fact]
    public async Task A_journal_with_no_fingerprint_adopts_nothing_when_the_store_can_not_be_read_through()
    {
        await using var w = await World.StartAsync();
        Assert.False(w.RotateLosingTheAnswer());
        w.Store.FailList = true;

        var (done, sink) = w.Rotate();

        Assert.True(done);
        Assert.Contains(RotationWarning.JournalUnproven, sink.Warnings);
        Assert.DoesNotContain(RotationWarning.JournalRecovered, sink.Warnings);
        Assert.True(w.Works(w.Store.FingerprintOf(Name)));
        Assert.Equal(3, w.TokensOfUser); // the first, the one the lost answer made, and this run's own
    }

    [Fact]
    public async Task A_store_that_went_back_to_the_old_token_after_the_revoke_is_not_Completed_and_the_new_token_is_handed_back()
    {
        await using var w = await World.StartAsync();
        var old = w.Store[Name];
        // Another writer puts the old value back while the rotation ends (a stale copy of a whole store written back).
        w.Store.AfterRemove = _ => w.Store[Name] = old;

        var (done, sink) = w.Rotate();

        Assert.False(done);
        Assert.Equal(RotationStop.NotHeldAtEnd, sink.Stop);
        Assert.Equal(w.First, sink.Facts!.OtherFingerprint);
        Assert.NotNull(sink.Facts.Keep);
        Assert.Equal(sink.Facts.Fingerprint, sink.Facts.Keep!.Fingerprint);
        Assert.True(w.Works(sink.Facts.Keep.Fingerprint));
        Assert.False(w.Works(w.First));
        Assert.NotEqual(RotationStep.Completed, sink.Facts.State.Step);
    }

    [Fact]
    public async Task A_WhatsApp_account_the_stored_token_can_not_read_stops_the_rotation_before_anything_is_kept_or_made()
    {
        await using var w = await World.StartAsync();

        var (done, sink) = w.Rotate(waba: "999999999999999");

        Assert.False(done);
        Assert.Equal(RotationStop.WabaNotReadable, sink.Stop);
        Assert.Equal("999999999999999", sink.Facts!.Detail);
        Assert.Null(w.Store.FingerprintOf(Previous));
        Assert.Equal(1, w.TokensOfUser);
        Assert.Equal(new[] { "Inspect" }, sink.Phases);
    }

    [Fact]
    public async Task A_secret_that_is_not_a_token_is_sent_nowhere()
    {
        await using var w = await World.StartAsync();
        w.Emulator.ResetRequestLog();

        var (done, sink) = w.Rotate(maySend: _ => false);

        Assert.False(done);
        Assert.Equal(RotationStop.NotAToken, sink.Stop);
        Assert.Equal(0, w.Emulator.RequestCount);
    }

    [Fact]
    public async Task The_store_key_not_the_words_names_the_lock_so_a_second_rotation_of_it_stops_InProgress()
    {
        await using var w = await World.StartAsync();
        var sink = new RecordingSink();
        using var holding = w.NewRotation(new RecordingSink());
        Assert.True(holding.Lock(CancellationToken.None));

        using var second = w.NewRotation(sink);
        Assert.False(second.Lock(CancellationToken.None));

        Assert.Equal(RotationStop.InProgress, sink.Stop);
        Assert.Equal(1, w.TokensOfUser);
    }

    /// <summary>An emulator, a system user with a WhatsApp account and one token, stored in memory.</summary>
    private sealed class World : IAsyncDisposable
    {
        private World(GraphEmulator emulator, GraphClient client, string userId, SecureString first)
        {
            Emulator = emulator;
            Client = client;
            UserId = userId;
            First = TokenFingerprint.Of(first);
            Store[Name] = new StoredToken { Token = first, Fingerprint = First };
        }

        public GraphEmulator Emulator { get; }

        public GraphClient Client { get; }

        public string UserId { get; }

        public string First { get; }

        public MemoryStore Store { get; } = new MemoryStore();

        public int TokensOfUser => Emulator.State.GetTokensOf(UserId).Count;

        public static async Task<World> StartAsync()
        {
            var emulator = await GraphEmulator.StartAsync();
            var seed = emulator.Seed;
            var settings = new GraphSettings(emulator.BaseUri) { MaxRetries = 0 };
            var client = new GraphClient(new GraphConnectionInfo(seed.BusinessId, seed.AppId, Secure(seed.AdminUserToken), Secure(seed.AppSecret), settings));
            var ct = CancellationToken.None;
            string user = await client.CreateSystemUserAsync("svc", "ADMIN", ct);
            await client.InstallAppAsync(user, seed.AppId, ct);
            await client.AssignWhatsAppAccountAsync(seed.WabaId, user, new[] { "MANAGE" }, ct);
            var first = await client.CreateSystemUserTokenAsync(user, seed.AppId, WhatsAppScopes.Required, false, ct);
            return new World(emulator, client, user, first.Token);
        }

        public bool Works(string? fingerprint)
        {
            var token = fingerprint == null ? null : Emulator.State.FindTokenByFingerprint(fingerprint);
            return token != null && token.IsValidAt(Emulator.Clock.Now);
        }

        public TokenRotation NewRotation(IRotationSink sink, Func<SecureString, bool>? maySend = null, string? waba = null, string name = Name) =>
            new(Store, name, Client, sink, new RotationOptions
            {
                AppId = Emulator.Seed.AppId,
                BusinessId = Emulator.Seed.BusinessId,
                GraphEndpoint = Emulator.BaseUri.ToString(),
                LockTimeout = TimeSpan.Zero,
                MaySend = maySend ?? (_ => true),
                WhatsAppBusinessAccountId = waba,
            });

        /// <summary>One run, as Update-WaToken makes it: lock, inspect, run.</summary>
        public (bool Done, RecordingSink Sink) Rotate(Func<SecureString, bool>? maySend = null, string? waba = null, string name = Name)
        {
            var sink = new RecordingSink();
            using var rotation = NewRotation(sink, maySend, waba, name);
            bool done = rotation.Lock(CancellationToken.None) && rotation.Inspect() && rotation.Run();
            return (done, sink);
        }

        /// <summary>
        /// One run whose token request Meta handles while its answer is lost, and so is the fetch that would recover it:
        /// a token is made that this run never learns of. Whether the run completed (it can not).
        /// </summary>
        public bool RotateLosingTheAnswer()
        {
            Emulator.Faults.Enqueue(FaultSpec.DropConnection() with { AfterHandling = true }, 1, "/access_tokens");
            Emulator.Faults.Enqueue(FaultSpec.DropConnection(), 1, "system_user_access_tokens");
            return Rotate().Done;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Emulator.DisposeAsync();
        }

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }

    /// <summary>A store in memory that fails where it is told to.</summary>
    private sealed class MemoryStore : IRotationStore
    {
        private readonly Dictionary<string, StoredToken> _tokens = new();
        private readonly string _id = Guid.NewGuid().ToString("N");

        public StoredToken this[string name]
        {
            get => _tokens[name];
            set => _tokens[name] = value;
        }

        public Func<string, bool> FailWrite { get; set; } = _ => false;

        public bool FailRemove { get; set; }

        public Action<string> AfterWrite { get; set; } = _ => { };

        public Action<string> AfterRemove { get; set; } = _ => { };

        public bool FailList { get; set; }

        public string? FingerprintOf(string name) => _tokens.TryGetValue(name, out var t) ? t.Fingerprint : null;

        public StoredToken? Read(string name, out StoreFailure? failure)
        {
            failure = _tokens.TryGetValue(name, out var token) ? null : new StoreFailure("no " + name) { Missing = true };
            return token;
        }

        public StoreFailure? Write(string name, StoredToken token)
        {
            if (FailWrite(name)) return new StoreFailure("refused " + name);
            _tokens[name] = token;
            AfterWrite(name);
            return null;
        }

        public StoreFailure? Remove(string name)
        {
            if (FailRemove) return new StoreFailure("refused to remove " + name);
            _tokens.Remove(name);
            AfterRemove(name);
            return null;
        }

        public string? Holder(string fingerprint, out StoreFailure? failure)
        {
            failure = FailList ? new StoreFailure("the store could not be listed") : null;
            return FailList ? null : _tokens.Where(t => t.Value.Fingerprint == fingerprint).Select(t => t.Key).FirstOrDefault();
        }

        public string PreviousNameOf(string name) => name + "_PREVIOUS";

        public string KeyOf(string name) => ("memory|" + _id + "|" + name).ToUpperInvariant();

        public string StoreKey => ("memory|" + _id).ToUpperInvariant();
    }

    /// <summary>What the rotation told, in order.</summary>
    private sealed class RecordingSink : IRotationSink
    {
        public List<string> Phases { get; } = new();

        public List<RotationWarning> Warnings { get; } = new();

        public List<RotationNote> Notes { get; } = new();

        public RotationStop? Stop { get; private set; }

        public RotationFacts? Facts { get; private set; }

        public void Progress(RotationPhase phase, int percent, RotationFacts facts) => Phases.Add(phase.ToString());

        public void Verbose(RotationNote note, RotationFacts facts) => Notes.Add(note);

        public void Warning(RotationWarning warning, RotationFacts facts) => Warnings.Add(warning);

        public void Stopped(RotationStop stop, RotationFacts facts)
        {
            Assert.Null(Stop); // one stop per run
            Stop = stop;
            Facts = facts;
        }

        public T Await<T>(Func<CancellationToken, Task<T>> request) => request(CancellationToken.None).GetAwaiter().GetResult();
    }
}
