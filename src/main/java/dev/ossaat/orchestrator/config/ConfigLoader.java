package dev.ossaat.orchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the one config file (YAML or JSON), substitutes {@code ${VAR}} from the environment,
 * validates every key and resolves credentials. Runs once at start, before any event loop serves.
 *
 * <p>The file may be wrapped in a top-level {@code orchestrator:} key, as in the runbook's
 * "Performance Tuning" snippets and the Helm values; top-level sections beside it (the runbook's
 * "Adding New Provider" snippet writes {@code providers:} and {@code metrics:} at the top) are merged in.
 */
public final class ConfigLoader {
  public static final String DEFAULT_PATH = "config/orchestrator.yaml";
  public static final String EMBEDDED_DEFAULTS = "orchestrator-defaults.yaml";

  private static final Set<String> ROOT_KEYS =
      Set.of("server", "routing", "providers", "cache", "redis", "metrics", "logging", "secrets", "admin", "reload", "health",
          "responses", "ledger", "auth", "limits");
  /** The keys under {@code providers:} that hold shared settings, not a provider, and how each is written. */
  private static final Map<String, Class<? extends Record>> SHARED_PROVIDER_KEYS = Map.of(
      "connectionPool", ConfigSections.Pool.class,
      "batching", ConfigSections.Batching.class,
      "circuitBreaker", ConfigSections.Breaker.class,
      "retry", ConfigSections.Retry.class,
      "admission", ConfigSections.Admission.class);
  private static final Set<String> PROVIDER_KEYS = Set.of(
      "enabled", "type", "baseUrl", "apiKey", "apiKeyRequired", "model", "models", "acceptAnyModel",
      "timeout", "firstByteTimeout", "streamIdleTimeout", "connectionPool", "circuitBreaker", "retry", "admission",
      "weight", "pricing", "headers", "tls", "anthropicVersion", "maxTokensDefault",
      "apiVersion", "deployments", "auth", "responsesApi", "region", "aws");
  private static final Set<String> AWS_KEYS = Set.of("accessKeyId", "secretAccessKey", "sessionToken", "profile",
      "credentialsFile", "configFile", "webIdentityTokenFile", "roleArn", "stsEndpoint");
  private static final Set<String> PRICE_KEYS = Set.of("prompt", "completion", "cachedPrompt", "cacheWrite", "reasoning");
  static final String ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";
  static final String GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
  static final String OLLAMA_NATIVE_URL = "http://127.0.0.1:11434";
  private static final Map<String, String> METRIC_NAMES = Map.of(
      "requestsTotal", "orchestrator_provider_requests_total",
      "latency", "orchestrator_provider_latency_seconds",
      "timeouts", "orchestrator_provider_timeouts_total",
      "tokens", "orchestrator_provider_tokens_total",
      "cost", "orchestrator_provider_cost_dollars_total",
      "retries", "orchestrator_provider_retries_total",
      "circuitBreakerState", "orchestrator_provider_circuit_breaker_state");
  private static final Map<String, String> WELL_KNOWN_BASE_URLS = Map.of(
      "openai", "https://api.openai.com/v1",
      "mistral", "https://api.mistral.ai/v1",
      "openrouter", "https://openrouter.ai/api/v1",
      "anthropic", ANTHROPIC_BASE_URL,
      "ollama", "http://127.0.0.1:11434/v1");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Loads from {@code ORCHESTRATOR_CONFIG}, else {@value #DEFAULT_PATH} if present, else the embedded defaults. */
  public LoadedConfig load() {
    String explicit = env.get("ORCHESTRATOR_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit);
      if (!Files.isRegularFile(path)) {
        throw new ConfigException("ORCHESTRATOR_CONFIG", "no config file at " + path.toAbsolutePath());
      }
      return new LoadedConfig(loadFile(path), false);
    }
    Path conventional = Path.of(DEFAULT_PATH);
    if (Files.isRegularFile(conventional)) {
      return new LoadedConfig(loadFile(conventional), false);
    }
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(EMBEDDED_DEFAULTS)) {
      if (in == null) throw new IllegalStateException("embedded " + EMBEDDED_DEFAULTS + " missing from the jar");
      return new LoadedConfig(parse(new YAMLMapper().readTree(in), "embedded defaults"), true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read embedded defaults", e);
    }
  }

  public OrchestratorConfig loadFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new YAMLMapper();
    JsonNode tree;
    try {
      tree = mapper.readTree(path.toFile());
    } catch (IOException e) {
      throw new ConfigException(path.toString(), "cannot be parsed: " + firstLine(e.getMessage()));
    }
    return parse(tree, path.toString());
  }

  /** Parses an already-read tree; public so tests and the demo can build configs from text. */
  public OrchestratorConfig parseText(String yaml, String source) {
    try {
      return parse(new YAMLMapper().readTree(yaml), source);
    } catch (IOException e) {
      throw new ConfigException(source, "cannot be parsed: " + firstLine(e.getMessage()));
    }
  }

  private OrchestratorConfig parse(JsonNode tree, String source) {
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = new ObjectMapper().createObjectNode();
    }
    if (!tree.isObject()) throw new ConfigException(source, "the top level must be a map of sections");
    JsonNode substituted = substitute(tree);
    ConfigNode root = new ConfigNode(unwrap((ObjectNode) substituted), "");
    root.allowOnly(ROOT_KEYS);

    ServerConfig server = server(root.child("server"));
    ConfigNode providersNode = root.child("providers");
    for (String key : SHARED_PROVIDER_KEYS.keySet()) refuseProviderNamed(providersNode, key);
    ConnectionPoolConfig sharedPool =
        pool(providersNode.child("connectionPool"), ConnectionPoolConfig.DEFAULTS, sharedNote("connectionPool"));
    CircuitBreakerConfig sharedBreaker =
        breaker(providersNode.child("circuitBreaker"), CircuitBreakerConfig.DEFAULTS, sharedNote("circuitBreaker"));
    RetryConfig sharedRetry = retry(providersNode.child("retry"), RetryConfig.DEFAULTS, sharedNote("retry"));
    AdmissionConfig sharedAdmission =
        admission(providersNode.child("admission"), AdmissionConfig.DEFAULTS, sharedNote("admission"));
    Shared shared = new Shared(sharedPool, sharedBreaker, sharedRetry, sharedAdmission);
    BatchingConfig batching = batching(providersNode.child("batching"));
    SecretsConfig secrets = secrets(root.child("secrets"));
    CredentialResolver credentials = new CredentialResolver(env, secrets.dir());

    List<ProviderConfig> providers = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> e : providersNode.entries().entrySet()) {
      if (SHARED_PROVIDER_KEYS.containsKey(e.getKey())) continue;
      providers.add(provider(e.getKey(), e.getValue(), shared, credentials));
    }
    RoutingConfig routing = routing(root.child("routing"), providers);
    MetricsConfig metrics = metrics(root.child("metrics"), root.child("logging"), providers);
    AuthConfig auth = AccessConfigs.auth(root.child("auth"));
    return new OrchestratorConfig(server, routing, ordered(providers, routing.preference()), batching,
        cache(root.child("cache")), redis(root.child("redis"), credentials), metrics, secrets, admin(root.child("admin"), credentials), reload(root.child("reload")),
        health(root.child("health")), ResponsesConfig.from(root.child("responses")),
        ledger(root.child("ledger"), credentials), auth, AccessConfigs.limits(root.child("limits"), auth), source);
  }

  private AdminConfig admin(ConfigNode n, CredentialResolver credentials) {
    n.allowOnly(Set.of("token"));
    Secret token = Secret.of(n.string("token", null));
    return new AdminConfig(token.isPresent() ? token : credentials.resolveVariable("ORCHESTRATOR_ADMIN_TOKEN"));
  }

  private static ReloadConfig reload(ConfigNode n) {
    ConfigSections.Reload s = ConfigBinder.bind(n, ConfigSections.Reload.class);
    ReloadConfig d = ReloadConfig.DEFAULTS;
    Duration interval = or(s.interval(), d.interval());
    if (interval.toMillis() < 100) throw new ConfigException(n.keyPath("interval"), "must be at least 100ms");
    return new ReloadConfig(or(s.enabled(), d.enabled()), interval);
  }

  private static ProbeConfig health(ConfigNode n) {
    n.allowOnly(Set.of("probes"));
    ConfigNode p = n.child("probes");
    ConfigSections.Probes s = ConfigBinder.bind(p, ConfigSections.Probes.class);
    ProbeConfig d = ProbeConfig.DEFAULTS;
    return new ProbeConfig(or(s.enabled(), d.enabled()), positive(p, "interval", s.interval(), d.interval()),
        positive(p, "timeout", s.timeout(), d.timeout()));
  }

  private ServerConfig server(ConfigNode n) {
    n.allowOnly(Set.of("port", "maxBodyBytes", "requestTimeout", "drainTimeout", "headerTimeout", "bodyTimeout",
        "idleTimeout", "maxConnections", "maxInflightRequests", "warmUp"));
    int port = n.integer("port", ServerConfig.DEFAULT_PORT, 0, 65535);
    String envPort = env.get("PORT");
    if (envPort != null && !envPort.isBlank()) {
      try {
        port = Integer.parseInt(envPort.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException("PORT", "expected a port number, got '" + envPort + "'");
      }
      if (port < 0 || port > 65535) throw new ConfigException("PORT", "must be between 0 and 65535, got " + port);
    }
    int maxBody = n.integer("maxBodyBytes", ServerConfig.DEFAULT_MAX_BODY_BYTES, 1024, Integer.MAX_VALUE);
    Duration deadline = n.duration("requestTimeout", ServerConfig.DEFAULT_REQUEST_TIMEOUT);
    if (deadline.isZero()) throw new ConfigException(n.keyPath("requestTimeout"), "must be greater than zero");
    Duration headers = positive(n, "headerTimeout", ServerConfig.DEFAULT_HEADER_TIMEOUT);
    Duration body = positive(n, "bodyTimeout", ServerConfig.DEFAULT_BODY_TIMEOUT);
    Duration idle = positive(n, "idleTimeout", ServerConfig.DEFAULT_IDLE_TIMEOUT);
    int maxConnections = n.integer("maxConnections", ServerConfig.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000);
    int maxInflight = n.integer("maxInflightRequests", ServerConfig.DEFAULT_MAX_INFLIGHT_REQUESTS, 1, 10_000_000);
    return new ServerConfig(port, maxBody, deadline, n.duration("drainTimeout", ServerConfig.DEFAULT_DRAIN_TIMEOUT),
        headers, body, idle, maxConnections, maxInflight, warmUp(n.child("warmUp")));
  }

  private static WarmUpConfig warmUp(ConfigNode n) {
    n.allowOnly(Set.of("duration", "concurrency"));
    Duration duration = n.duration("duration", WarmUpConfig.OFF.duration());
    if (duration.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new ConfigException(n.keyPath("duration"), "must be at most 5m (readiness waits for it), got " + duration);
    }
    return new WarmUpConfig(duration, n.integer("concurrency", WarmUpConfig.OFF.concurrency(), 1, 256));
  }


  private static ConnectionPoolConfig pool(ConfigNode n, ConnectionPoolConfig base, String about) {
    ConfigSections.Pool s = ConfigBinder.bind(n, ConfigSections.Pool.class, about);
    int max = or(s.maxConnections(), base.maxConnections());
    ConfigValues.range(n.keyPath("maxConnections"), max, 1, 100_000);
    // An inherited idle count shrinks with a smaller per-provider pool; an explicit one must fit.
    int idle = or(s.maxIdleConnections(), Math.min(base.maxIdleConnections(), max));
    ConfigValues.range(n.keyPath("maxIdleConnections"), idle, 0, 100_000);
    if (idle > max) {
      throw new ConfigException(n.keyPath("maxIdleConnections"), "must not exceed maxConnections (" + max + "), got " + idle);
    }
    return new ConnectionPoolConfig(max, idle, or(s.connectionTimeout(), base.connectionTimeout()),
        or(s.idleTimeout(), base.idleTimeout()));
  }

  private static CircuitBreakerConfig breaker(ConfigNode n, CircuitBreakerConfig base, String about) {
    ConfigSections.Breaker s = ConfigBinder.bind(n, ConfigSections.Breaker.class, about);
    return new CircuitBreakerConfig(
        ranged(n, "threshold", s.threshold(), base.threshold(), 1, 10_000),
        positive(n, "timeout", s.timeout(), base.timeout()),
        ranged(n, "halfOpenRequests", s.halfOpenRequests(), base.halfOpenRequests(), 1, 10_000),
        or(s.countRateLimits(), base.countRateLimits()));
  }

  private static RetryConfig retry(ConfigNode n, RetryConfig base, String about) {
    ConfigSections.Retry s = ConfigBinder.bind(n, ConfigSections.Retry.class, about);
    return new RetryConfig(
        ranged(n, "maxAttempts", s.maxAttempts(), base.maxAttempts(), 1, 10),
        or(s.initialBackoff(), base.initialBackoff()),
        or(s.maxBackoff(), base.maxBackoff()),
        or(s.maxRetryAfter(), base.maxRetryAfter()));
  }

  private static AdmissionConfig admission(ConfigNode n, AdmissionConfig base, String about) {
    ConfigSections.Admission s = ConfigBinder.bind(n, ConfigSections.Admission.class, about);
    return new AdmissionConfig(
        ranged(n, "maxConcurrent", s.maxConcurrent(), base.maxConcurrent(), 1, 100_000),
        ranged(n, "maxQueued", s.maxQueued(), base.maxQueued(), 0, 1_000_000),
        or(s.maxWait(), base.maxWait()));
  }

  private static BatchingConfig batching(ConfigNode n) {
    ConfigSections.Batching s = ConfigBinder.bind(n, ConfigSections.Batching.class, sharedNote("batching"));
    BatchingConfig d = BatchingConfig.DEFAULTS;
    return new BatchingConfig(or(s.enabled(), d.enabled()),
        ranged(n, "maxBatchSize", s.maxBatchSize(), d.maxBatchSize(), 1, 10_000), or(s.batchTimeout(), d.batchTimeout()));
  }

  private static CacheConfig cache(ConfigNode n) {
    ConfigSections.Cache s = ConfigBinder.bind(n, ConfigSections.Cache.class);
    CacheConfig d = CacheConfig.DEFAULTS;
    String type = or(s.type(), "memory").toLowerCase(Locale.ROOT);
    CacheConfig.CacheType cacheType = switch (type) {
      case "memory", "in-memory" -> CacheConfig.CacheType.MEMORY;
      case "redis" -> CacheConfig.CacheType.REDIS;
      default -> throw new ConfigException(n.keyPath("type"), "expected memory or redis, got '" + type + "'");
    };
    return new CacheConfig(or(s.enabled(), d.enabled()), cacheType, or(s.ttl(), d.ttl()),
        ranged(n, "maxSize", s.maxSize(), d.maxSize(), 1, 100_000_000), or(s.compressionEnabled(), d.compressionEnabled()),
        or(s.cacheNonDeterministic(), d.cacheNonDeterministic()));
  }

  private RedisConfig redis(ConfigNode n, CredentialResolver credentials) {
    ConfigSections.Redis s = ConfigBinder.bind(n, ConfigSections.Redis.class);
    RedisConfig d = RedisConfig.DEFAULTS;
    String envUrl = env.get("REDIS_URL");
    String url = or(s.url(), envUrl == null || envUrl.isBlank() ? d.url() : envUrl).trim();
    if (!url.startsWith("redis://") && !url.startsWith("rediss://") && !url.startsWith("unix://")) {
      throw new ConfigException(n.keyPath("url"), "expected redis://host:port, rediss://host:port or unix:///path");
    }
    Secret password = Secret.of(s.password());
    if (!password.isPresent()) password = credentials.resolveVariable("REDIS_PASSWORD");
    String prefix = or(s.keyPrefix(), d.keyPrefix());
    return new RedisConfig(url, password, prefix, positive(n, "commandTimeout", s.commandTimeout(), d.commandTimeout()),
        ranged(n, "maxPoolSize", s.maxPoolSize(), d.maxPoolSize(), 1, 1024));
  }

  private LedgerConfig ledger(ConfigNode n, CredentialResolver credentials) {
    ConfigSections.Ledger s = ConfigBinder.bind(n, ConfigSections.Ledger.class);
    LedgerConfig d = LedgerConfig.DEFAULTS;
    String url = or(s.url(), d.url()).trim();
    if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw new ConfigException(n.keyPath("url"), "expected postgresql://host:port/database");
    }
    Secret password = Secret.of(s.password());
    if (!password.isPresent()) password = credentials.resolveVariable("LEDGER_DB_PASSWORD");
    LedgerConfig.Fsync fsync = switch (or(s.fsync(), "none").trim().toLowerCase(Locale.ROOT)) {
      case "none" -> LedgerConfig.Fsync.NONE;
      case "always" -> LedgerConfig.Fsync.ALWAYS;
      case "interval" -> LedgerConfig.Fsync.INTERVAL;
      default -> throw new ConfigException(n.keyPath("fsync"), "expected none, always or interval, got '" + s.fsync() + "'");
    };
    long maxSpool = bytes(n, "maxSpoolBytes", s.maxSpoolBytes(), d.maxSpoolBytes());
    long segment = bytes(n, "segmentBytes", s.segmentBytes(), d.segmentBytes());
    if (segment < 4096) throw new ConfigException(n.keyPath("segmentBytes"), "must be at least 4KiB");
    if (maxSpool < segment) throw new ConfigException(n.keyPath("maxSpoolBytes"), "must be at least segmentBytes (" + segment + ")");
    String dir = or(s.spoolDir(), d.spoolDir().toString()).trim();
    if (dir.isEmpty()) throw new ConfigException(n.keyPath("spoolDir"), "must name a directory");
    return new LedgerConfig(or(s.enabled(), d.enabled()), url, or(s.user(), d.user()), password, java.nio.file.Path.of(dir),
        maxSpool, segment, positive(n, "shipInterval", s.shipInterval(), d.shipInterval()),
        ranged(n, "batchSize", s.batchSize(), d.batchSize(), 1, 2000), fsync,
        positive(n, "fsyncInterval", s.fsyncInterval(), d.fsyncInterval()),
        positive(n, "spoolWaitTimeout", s.spoolWaitTimeout(), d.spoolWaitTimeout()),
        positive(n, "retryDelay", s.retryDelay(), d.retryDelay()),
        ranged(n, "maxPoolSize", s.maxPoolSize(), d.maxPoolSize(), 1, 64), or(s.migrate(), d.migrate()));
  }

  private static long bytes(ConfigNode n, String key, String value, long fallback) {
    if (value == null || value.isBlank()) return fallback;
    try {
      return LedgerConfig.parseBytes(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(n.keyPath(key), e.getMessage());
    }
  }

  private static TlsConfig tls(ConfigNode n) {
    ConfigSections.Tls s = ConfigBinder.bind(n, ConfigSections.Tls.class);
    String caFile = s.caFile() == null ? null : s.caFile().trim();
    if (caFile != null) checkPemFile(n.keyPath("caFile"), caFile);
    return new TlsConfig(or(s.insecureSkipVerify(), false), caFile);
  }

  private static void checkPemFile(String key, String file) {
    Path path;
    try {
      path = Path.of(file);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigException(key, "not a valid file path: '" + file + "'");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ConfigException(key, "no readable file at " + path.toAbsolutePath());
    }
    String text;
    try {
      text = Files.readString(path, java.nio.charset.StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + path.toAbsolutePath() + ": " + e.getClass().getSimpleName());
    }
    if (!text.contains("-----BEGIN CERTIFICATE-----")) {
      throw new ConfigException(key, path.toAbsolutePath() + " is not a PEM file of CA certificates (no BEGIN CERTIFICATE line)");
    }
  }

  /**
   * A name under {@code providers:} that holds shared settings cannot also name a provider: a section
   * with provider keys there is refused, instead of being read (or half-read) as the shared settings.
   */
  private static void refuseProviderNamed(ConfigNode providers, String key) {
    if (!providers.has(key) || !providers.child(key).isSection()) return;
    Set<String> own = ConfigBinder.keysOf(SHARED_PROVIDER_KEYS.get(key));
    Set<String> providerKeys = new TreeSet<>();
    for (String k : providers.child(key).keys()) {
      if (PROVIDER_KEYS.contains(k) && !own.contains(k)) providerKeys.add(k);
    }
    if (!providerKeys.isEmpty()) {
      throw new ConfigException(providers.keyPath(key), "'" + key + "' is reserved for the " + sharedWhat(key)
          + ", but this section has provider keys (" + String.join(", ", providerKeys) + "); a provider needs another name"
          + ("batching".equals(key) ? "" : ", and its " + key + " settings go inside it"));
    }
  }

  private static String sharedNote(String key) {
    return "providers." + key + " holds the " + sharedWhat(key) + ", it cannot name a provider";
  }

  private static String sharedWhat(String key) {
    return "batching".equals(key) ? "request batching settings" : key + " settings every provider inherits";
  }

  private static int ranged(ConfigNode n, String key, Integer value, int fallback, int min, int max) {
    int v = or(value, fallback);
    if (value != null) ConfigValues.range(n.keyPath(key), v, min, max);
    return v;
  }

  private static <T> T or(T value, T fallback) {
    return ConfigSections.or(value, fallback);
  }

  private SecretsConfig secrets(ConfigNode n) {
    n.allowOnly(Set.of("dir"));
    String fromEnv = env.get("ORCHESTRATOR_SECRETS_DIR");
    String dir = fromEnv != null && !fromEnv.isBlank() ? fromEnv : n.string("dir", SecretsConfig.DEFAULT_DIR.toString());
    return new SecretsConfig(Path.of(dir));
  }

  /** Settings under {@code providers:} that every provider inherits and may override. */
  private record Shared(ConnectionPoolConfig pool, CircuitBreakerConfig breaker, RetryConfig retry, AdmissionConfig admission) {}

  private ProviderConfig provider(String name, ConfigNode n, Shared shared, CredentialResolver credentials) {
    if (!n.isSection()) {
      throw new ConfigException(n.path(), "expected a provider section (enabled, baseUrl, apiKey, model, ...)");
    }
    if (!name.matches("[A-Za-z][A-Za-z0-9_-]{0,62}")) {
      throw new ConfigException(n.path(), "a provider name must start with a letter and use only letters, digits, - and _");
    }
    n.allowOnly(PROVIDER_KEYS);
    // A provider named anthropic speaks Anthropic's API unless told otherwise; every other name, OpenAI's.
    ProviderType type =
        ProviderType.parse(n.keyPath("type"), n.string("type", "anthropic".equals(name) ? "anthropic" : "gemini".equals(name) ? "gemini" : "openai"));
    AwsSettings aws = aws(n, name, type);
    String baseUrl = n.string("baseUrl", type == ProviderType.ANTHROPIC ? ANTHROPIC_BASE_URL
        : type == ProviderType.GEMINI ? GEMINI_BASE_URL
        : type == ProviderType.BEDROCK ? AwsSettings.runtimeUrl(aws.region())
        : type == ProviderType.OLLAMA ? OLLAMA_NATIVE_URL : WELL_KNOWN_BASE_URLS.get(name));
    if (type == ProviderType.OLLAMA && baseUrl.replaceAll("/+$", "").endsWith("/v1")) {
      throw new ConfigException(n.keyPath("baseUrl"), "type ollama speaks Ollama's native API (/api/chat) at the server's root, "
          + "e.g. http://127.0.0.1:11434; for its OpenAI-compatible /v1 endpoint use type: openai");
    }
    if (baseUrl == null) throw new ConfigException(n.keyPath("baseUrl"), "is required for provider '" + name + "'");
    baseUrl = validUrl(n.keyPath("baseUrl"), baseUrl);
    // Bedrock signs with AWS credentials found at run time (environment, files, web identity), not an apiKey.
    boolean keyRequired = n.bool("apiKeyRequired", !"ollama".equals(name) && type != ProviderType.BEDROCK
        && type != ProviderType.OLLAMA);
    Secret key = Secret.of(n.string("apiKey", null));
    if (!key.isPresent()) key = credentials.resolve(name);
    String enabledText = n.string("enabled", "true");
    boolean enabled = "auto".equalsIgnoreCase(enabledText)
        ? key.isPresent() || !keyRequired
        : n.bool("enabled", true);
    String defaultModel = n.string("model", null);
    List<String> models = new ArrayList<>(n.stringList("models"));
    if (defaultModel != null && !models.contains(defaultModel)) models.add(0, defaultModel);
    if (defaultModel == null && !models.isEmpty()) defaultModel = models.get(0);
    boolean acceptAny = n.bool("acceptAnyModel", false);
    if (acceptAny && defaultModel == null) {
      throw new ConfigException(n.keyPath("acceptAnyModel"), "needs a default model (providers." + name + ".model)");
    }
    Duration timeout = positive(n, "timeout", Duration.ofSeconds(30));
    Timeouts timeouts = new Timeouts(timeout, positive(n, "firstByteTimeout", timeout), positive(n, "streamIdleTimeout", timeout));
    ConnectionPoolConfig pool = pool(n.child("connectionPool"), shared.pool(), null);
    // Admission defaults to the pool's size: more concurrent calls than connections would only queue in the pool.
    AdmissionConfig admissionBase = n.child("admission").has("maxConcurrent") ? shared.admission()
        : new AdmissionConfig(Math.min(shared.admission().maxConcurrent(), pool.maxConnections()),
            shared.admission().maxQueued(), shared.admission().maxWait());
    String anthropicVersion = anthropicVersion(n, name, type);
    int maxTokensDefault = n.integer("maxTokensDefault", ProviderConfig.DEFAULT_MAX_TOKENS, 1, 1_000_000);
    return new ProviderConfig(name, enabled, type, baseUrl, key, keyRequired, defaultModel, models, acceptAny, timeouts,
        pool, breaker(n.child("circuitBreaker"), shared.breaker(), null), retry(n.child("retry"), shared.retry(), null),
        admission(n.child("admission"), admissionBase, null), n.integer("weight", 1, 0, 1_000_000),
        pricing(n.child("pricing")), headers(n.child("headers")), tls(n.child("tls")), anthropicVersion, maxTokensDefault,
        azure(n, name, type), responsesApi(n, name, type), aws);
  }

  /** {@code apiVersion}, {@code deployments} and {@code auth}: for type azure only. */
  private static AzureSettings azure(ConfigNode n, String name, ProviderType type) {
    if (type != ProviderType.AZURE) {
      for (String key : List.of("apiVersion", "deployments", "auth")) {
        if (n.has(key)) {
          throw new ConfigException(n.keyPath(key), "is only for providers of type azure; provider '" + name + "' is type "
              + type.label());
        }
      }
      return null;
    }
    String version = n.string("apiVersion", AzureSettings.DEFAULT_API_VERSION).trim();
    if (!version.equals(AzureSettings.V1) && !version.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?")) {
      throw new ConfigException(n.keyPath("apiVersion"), "expected v1 or an Azure OpenAI API version such as "
          + AzureSettings.DEFAULT_API_VERSION + ", got '" + version + "'");
    }
    Map<String, String> deployments = new LinkedHashMap<>();
    ConfigNode d = n.child("deployments");
    for (String model : d.keys()) {
      String deployment = d.string(model, "").trim();
      if (!deployment.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
        throw new ConfigException(d.keyPath(model), "expected an Azure deployment name (letters, digits, . _ -), got '"
            + deployment + "'");
      }
      deployments.put(model, deployment);
    }
    String auth = n.string("auth", "api-key");
    if (!auth.equals("api-key") && !auth.equals("bearer")) {
      throw new ConfigException(n.keyPath("auth"), "expected api-key or bearer, got '" + auth + "'");
    }
    return new AzureSettings(version, deployments, auth.equals("bearer"));
  }

  /** {@code responsesApi}: an OpenAI provider that also serves {@code /v1/responses}, for Responses pass-through. */
  private static boolean responsesApi(ConfigNode n, String name, ProviderType type) {
    if (type != ProviderType.OPENAI && n.has("responsesApi")) {
      throw new ConfigException(n.keyPath("responsesApi"), "is only for providers of type openai; provider '" + name
          + "' is of type " + type.name().toLowerCase(java.util.Locale.ROOT));
    }
    return n.bool("responsesApi", false);
  }

  /** {@code region} and the {@code aws:} section: for type bedrock only, where region is required. */
  private static AwsSettings aws(ConfigNode n, String name, ProviderType type) {
    if (type != ProviderType.BEDROCK) {
      for (String key : List.of("region", "aws")) {
        if (n.has(key)) {
          throw new ConfigException(n.keyPath(key), "is only for providers of type bedrock; provider '" + name
              + "' is type " + type.label());
        }
      }
      return null;
    }
    String region = n.string("region", null);
    if (region == null || region.isBlank()) {
      throw new ConfigException(n.keyPath("region"), "is required for provider '" + name + "' of type bedrock (e.g. us-east-1)");
    }
    region = region.trim();
    if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
      throw new ConfigException(n.keyPath("region"), "expected an AWS region such as us-east-1, got '" + region + "'");
    }
    ConfigNode a = n.child("aws");
    a.allowOnly(AWS_KEYS);
    Secret keyId = Secret.of(a.string("accessKeyId", null));
    Secret secret = Secret.of(a.string("secretAccessKey", null));
    if (keyId.isPresent() != secret.isPresent()) {
      throw new ConfigException(a.keyPath(keyId.isPresent() ? "secretAccessKey" : "accessKeyId"),
          "accessKeyId and secretAccessKey go together");
    }
    String sts = a.string("stsEndpoint", null);
    return new AwsSettings(region, keyId, secret, Secret.of(a.string("sessionToken", null)), a.string("profile", null),
        a.string("credentialsFile", null), a.string("configFile", null), a.string("webIdentityTokenFile", null),
        a.string("roleArn", null), sts == null ? null : validUrl(a.keyPath("stsEndpoint"), sts));
  }

  /** The {@code anthropic-version} header: for type anthropic only, a date such as 2023-06-01. */
  private static String anthropicVersion(ConfigNode n, String name, ProviderType type) {
    if (type != ProviderType.ANTHROPIC) {
      if (n.has("anthropicVersion")) {
        throw new ConfigException(n.keyPath("anthropicVersion"), "is only for providers of type anthropic; provider '"
            + name + "' is type " + type.label());
      }
      return null;
    }
    String version = n.string("anthropicVersion", ProviderConfig.DEFAULT_ANTHROPIC_VERSION).trim();
    if (!version.matches("\\d{4}-\\d{2}-\\d{2}")) {
      throw new ConfigException(n.keyPath("anthropicVersion"), "expected an Anthropic API version date such as "
          + ProviderConfig.DEFAULT_ANTHROPIC_VERSION + ", got '" + version + "'");
    }
    return version;
  }

  private static Duration positive(ConfigNode n, String key, Duration fallback) {
    return positive(n, key, n.duration(key, null), fallback);
  }

  private static Duration positive(ConfigNode n, String key, Duration value, Duration fallback) {
    Duration d = or(value, fallback);
    if (d.isZero()) throw new ConfigException(n.keyPath(key), "must be greater than zero");
    return d;
  }

  private static Map<String, ModelPrice> pricing(ConfigNode n) {
    Map<String, ModelPrice> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : n.entries().entrySet()) {
      ConfigNode p = e.getValue();
      if (!p.isSection()) throw new ConfigException(p.path(), "expected {prompt: <$/1M tokens>, completion: <$/1M tokens>}");
      p.allowOnly(PRICE_KEYS);
      if (!p.has("prompt") || !p.has("completion")) {
        throw new ConfigException(p.path(), "needs both prompt and completion prices ($ per million tokens)");
      }
      out.put(e.getKey(), new ModelPrice(p.decimal("prompt", 0, 0), p.decimal("completion", 0, 0),
          optionalPrice(p, "cachedPrompt"), optionalPrice(p, "cacheWrite"), optionalPrice(p, "reasoning")));
    }
    return out;
  }

  /** An optional price: null when unset, so {@link ModelPrice} applies its default (prompt or completion). */
  private static Double optionalPrice(ConfigNode p, String key) {
    return p.has(key) && !p.string(key, "").isEmpty() ? p.decimal(key, 0, 0) : null;
  }

  private static Map<String, String> headers(ConfigNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : n.keys()) out.put(key, n.string(key, ""));
    return out;
  }

  private RoutingConfig routing(ConfigNode n, List<ProviderConfig> providers) {
    n.allowOnly(Set.of("preference", "unknownModel", "strategy", "models", "shouldRetryHeader"));
    RoutingConfig.Strategy strategy = RoutingConfig.Strategy.parse(n.keyPath("strategy"), n.string("strategy", "preference"));
    Map<String, RoutingConfig.Strategy> perModel = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : n.child("models").entries().entrySet()) {
      ConfigNode m = e.getValue();
      if (!m.isSection()) throw new ConfigException(m.path(), "expected {strategy: ...}");
      m.allowOnly(Set.of("strategy"));
      perModel.put(e.getKey(), RoutingConfig.Strategy.parse(m.keyPath("strategy"), m.string("strategy", strategy.label())));
    }
    String fromEnv = env.get("PROVIDER_PREFERENCE");
    String key = fromEnv != null && !fromEnv.isBlank() ? "PROVIDER_PREFERENCE" : n.keyPath("preference");
    List<String> preference = fromEnv != null && !fromEnv.isBlank()
        ? new ConfigNode(new ObjectMapper().createObjectNode().put("v", fromEnv), "").stringList("v")
        : n.stringList("preference");
    for (String name : preference) {
      if (providers.stream().noneMatch(p -> p.name().equals(name))) {
        throw new ConfigException(key, "names provider '" + name + "', which is not configured (configured: "
            + String.join(", ", providers.stream().map(ProviderConfig::name).toList()) + ")");
      }
    }
    String unknown = n.string("unknownModel", "preferred").toLowerCase(Locale.ROOT);
    RoutingConfig.UnknownModelPolicy policy = switch (unknown) {
      case "preferred" -> RoutingConfig.UnknownModelPolicy.PREFERRED;
      case "reject", "404" -> RoutingConfig.UnknownModelPolicy.REJECT;
      default -> throw new ConfigException(n.keyPath("unknownModel"), "expected preferred or reject, got '" + unknown + "'");
    };
    return new RoutingConfig(preference, policy, strategy, perModel, n.bool("shouldRetryHeader", true));
  }

  private static MetricsConfig metrics(ConfigNode n, ConfigNode logging, List<ProviderConfig> providers) {
    n.allowOnly(Set.of("maxTenants", "maxUsers", "maxModels", "providers", "enabled"));
    logging.allowOnly(Set.of("requestLog"));
    // The runbook's "Add metrics mapping" step: accepted, but the names are a contract, so a mapping
    // may only restate them; anything else is a mistake we would rather catch at start.
    for (Map.Entry<String, ConfigNode> e : n.child("providers").entries().entrySet()) {
      if (providers.stream().noneMatch(p -> p.name().equals(e.getKey()))) {
        throw new ConfigException(e.getValue().path(), "names a provider that is not configured");
      }
      ConfigNode mapping = e.getValue();
      mapping.allowOnly(METRIC_NAMES.keySet());
      for (String metric : mapping.keys()) {
        String expected = METRIC_NAMES.get(metric);
        if (!expected.equals(mapping.string(metric, expected))) {
          throw new ConfigException(mapping.keyPath(metric), "metric names are fixed for every provider; must be " + expected);
        }
      }
    }
    MetricsConfig d = MetricsConfig.DEFAULTS;
    return new MetricsConfig(n.integer("maxTenants", d.maxTenants(), 1, 100_000),
        n.integer("maxUsers", d.maxUsers(), 1, 100_000), n.integer("maxModels", d.maxModels(), 1, 100_000),
        n.bool("enabled", true), logging.bool("requestLog", true));
  }

  private static List<ProviderConfig> ordered(List<ProviderConfig> providers, List<String> preference) {
    List<ProviderConfig> out = new ArrayList<>();
    for (String name : preference) {
      providers.stream().filter(p -> p.name().equals(name)).findFirst().ifPresent(out::add);
    }
    for (ProviderConfig p : providers) {
      if (!out.contains(p)) out.add(p);
    }
    return out;
  }

  private static String validUrl(String key, String url) {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    try {
      java.net.URI uri = java.net.URI.create(trimmed);
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "expected an http(s) URL such as https://api.openai.com/v1, got '" + url + "'");
    }
    return trimmed;
  }

  private JsonNode substitute(JsonNode node) {
    EnvSubstitution substitution = new EnvSubstitution(env::get);
    return walk(node, substitution);
  }

  private static JsonNode walk(JsonNode node, EnvSubstitution substitution) {
    if (node.isTextual()) return TextNode.valueOf(substitution.apply(node.textValue()));
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), walk(e.getValue(), substitution)));
      return copy;
    }
    if (node.isArray()) {
      var copy = ((com.fasterxml.jackson.databind.node.ArrayNode) node).arrayNode();
      node.forEach(item -> copy.add(walk(item, substitution)));
      return copy;
    }
    return node;
  }

  private static ObjectNode unwrap(ObjectNode root) {
    JsonNode wrapped = root.get("orchestrator");
    if (wrapped == null) return root;
    if (!wrapped.isObject()) throw new ConfigException("orchestrator", "expected a section");
    ObjectNode merged = ((ObjectNode) wrapped).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("orchestrator")) continue;
      mergeInto(merged, e.getKey(), e.getValue());
    }
    return merged;
  }

  private static void mergeInto(ObjectNode target, String key, JsonNode value) {
    JsonNode existing = target.get(key);
    if (existing instanceof ObjectNode existingObject && value.isObject()) {
      value.fields().forEachRemaining(e -> mergeInto(existingObject, e.getKey(), e.getValue()));
    } else {
      target.set(key, value);
    }
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** A config and whether it came from the embedded defaults (the demo's condition). */
  public record LoadedConfig(OrchestratorConfig config, boolean embeddedDefaults) {}
}
