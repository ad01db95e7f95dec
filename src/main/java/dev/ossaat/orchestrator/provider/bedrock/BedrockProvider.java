package dev.ossaat.orchestrator.provider.bedrock;

import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.bedrock.BedrockCodec;
import dev.ossaat.orchestrator.codec.bedrock.BedrockEmbeddings;
import dev.ossaat.orchestrator.config.AwsSettings;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.HttpUpstream;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.UpstreamErrors;
import dev.ossaat.orchestrator.provider.auth.AwsCredentialChain;
import dev.ossaat.orchestrator.provider.auth.AwsCredentialSource;
import dev.ossaat.orchestrator.provider.auth.AwsCredentials;
import dev.ossaat.orchestrator.provider.auth.ProfileCredentialSource;
import dev.ossaat.orchestrator.provider.auth.SigV4;
import dev.ossaat.orchestrator.provider.auth.SigV4Auth;
import dev.ossaat.orchestrator.provider.auth.WebIdentityCredentialSource;
import dev.ossaat.orchestrator.secrets.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * AWS Bedrock's Converse API ({@code POST /model/{modelId}/converse}) and ConverseStream
 * ({@code /converse-stream}, answered in AWS's binary event-stream framing), every request signed
 * with SigV4 (service {@code bedrock}) using credentials from the AWS chain
 * ({@link AwsCredentialChain}). Model ids and inference profiles ({@code us.anthropic.claude-...},
 * ARNs) go in the path, percent-encoded. Every client format is translated (no client speaks
 * Converse). Embeddings go through {@code InvokeModel} ({@code POST /model/{modelId}/invoke}) for
 * Titan Text Embeddings and Cohere Embed ({@link BedrockEmbeddings}); Titan takes one text per call,
 * so several inputs are sent as concurrent calls (at most {@link #EMBED_CONCURRENCY} at a time) and
 * the vectors re-assembled in input order.
 *
 * <p>The probe lists the foundation models on Bedrock's control plane ({@code bedrock.<region>},
 * {@code GET /foundation-models}): free, and it proves the credentials and the signature. A role
 * allowed to invoke models but not to list them gets {@code AccessDeniedException} there: AWS has
 * then authenticated the request, which is what the probe asks, so that counts as healthy. Converse
 * itself is never used as a probe: it costs tokens on every probe interval.
 */
public final class BedrockProvider implements Provider {
  private static final BedrockCodec CODEC = BedrockCodec.INSTANCE;
  private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  /** Titan embeds one text per call: this many calls of one request go at once (Bedrock throttles per account). */
  static final int EMBED_CONCURRENCY = 8;

  private final String name;
  private final String baseUrl;
  private final String probeUrl;
  private final HttpUpstream http;
  private final SigV4Auth auth;
  private final Redactor redactor;
  private final AtomicReference<AwsCredentials> registered = new AtomicReference<>();

  public BedrockProvider(Vertx vertx, ProviderConfig config, Redactor redactor) {
    this(vertx, config, redactor, System.getenv(), Clock.systemUTC());
  }

  /** @param env the process environment (the AWS variables), given for tests */
  public BedrockProvider(Vertx vertx, ProviderConfig config, Redactor redactor, Map<String, String> env, Clock clock) {
    this.name = config.name();
    AwsSettings aws = config.aws();
    AwsCredentialSource credentials = AwsCredentialChain.of(vertx, aws, env, name, clock);
    this.auth = new SigV4Auth(credentials, aws.region(), "bedrock", clock);
    this.redactor = redactor;
    this.http = new HttpUpstream(vertx, config, auth, config.headers(),
        new UpstreamErrors(name, WireFormat.BEDROCK, redactor, BedrockErrors::classify));
    this.baseUrl = config.baseUrl();
    String runtime = AwsSettings.runtimeUrl(aws.region());
    // The control plane is another host; a custom endpoint (VPC endpoint, simulator) serves both paths.
    String control = baseUrl.equals(runtime) ? "https://bedrock." + aws.region() + ".amazonaws.com" : baseUrl;
    this.probeUrl = control + "/foundation-models?byOutputModality=TEXT";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WireFormat format() {
    return WireFormat.BEDROCK;
  }

  @Override
  public boolean supports(Operation operation) {
    return true;
  }

  @Override
  public Future<Completion> complete(ProviderCall call) {
    Buffer body;
    try {
      body = body(call);
    } catch (CodecException e) {
      return Future.failedFuture(refused(e));
    }
    String id = answerId();
    return credentials().compose(c -> http.post(call, url(call, "/converse"), body, WireFormat.BEDROCK, CODEC::usageOf))
        .map(c -> new Completion(named(c.body(), id, call.upstreamModel()), c.format(), c.usage()));
  }

  @Override
  public Future<ChatStream> stream(ProviderCall call) {
    Buffer body;
    try {
      body = body(call);
    } catch (CodecException e) {
      return Future.failedFuture(refused(e));
    }
    String id = answerId();
    return credentials().compose(c -> http.stream(call, url(call, "/converse-stream"), body, EVENT_STREAM,
        EventStreamFraming::new, () -> new BedrockStreamDialect(name, id, call.upstreamModel())));
  }

  @Override
  public Future<Completion> embed(ProviderCall call) {
    String model = call.upstreamModel();
    BedrockEmbeddings.Family family = BedrockEmbeddings.family(model);
    if (family == null) {
      return Future.failedFuture(new ProviderException(name, ErrorType.BAD_REQUEST, 400, name + " (Bedrock) embeds with "
          + "amazon.titan-embed-text-v2:0, amazon.titan-embed-text-v1 or cohere.embed-*; " + model + " is not an embedding model it knows", null, null));
    }
    List<Buffer> bodies;
    try {
      bodies = BedrockEmbeddings.encode(call.request().body(), family);
    } catch (CodecException e) {
      return Future.failedFuture(refused(e));
    }
    String url = url(call, "/invoke");
    return credentials().compose(c -> invokeAll(call, url, bodies, family)).map(answers -> {
      List<com.fasterxml.jackson.databind.JsonNode> vectors = new ArrayList<>();
      Long tokens = 0L;
      for (BedrockEmbeddings.Answer a : answers) {
        vectors.addAll(a.vectors());
        tokens = tokens == null || a.tokens() == null ? null : tokens + a.tokens();
      }
      Usage usage = tokens == null ? null : new Usage(tokens, 0, 0, 0, 0, false);
      return new Completion(BedrockEmbeddings.openAi(vectors, call.request().model(), tokens), WireFormat.OPENAI, usage);
    });
  }

  /**
   * Every body sent, at most {@link #EMBED_CONCURRENCY} in flight, the answers in the bodies' order.
   * The first failure fails the whole request (the calls still in flight are left to finish and
   * ignored: cancelling the call's control would read as the client having gone).
   */
  private Future<List<BedrockEmbeddings.Answer>> invokeAll(ProviderCall call, String url, List<Buffer> bodies,
      BedrockEmbeddings.Family family) {
    Promise<List<BedrockEmbeddings.Answer>> done = Promise.promise();
    BedrockEmbeddings.Answer[] answers = new BedrockEmbeddings.Answer[bodies.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger remaining = new AtomicInteger(bodies.size());
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= bodies.size() || done.future().isComplete()) return;
      http.post(call, url, bodies.get(i), WireFormat.BEDROCK, b -> null).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        try {
          answers[i] = BedrockEmbeddings.decode(ar.result().body(), family);
        } catch (RuntimeException e) {
          done.tryFail(ProviderException.of(name, ErrorType.SERVER_ERROR,
              name + " answered embeddings in a form orchestrator could not read: " + e.getMessage()));
          return;
        }
        if (remaining.decrementAndGet() == 0) {
          done.tryComplete(List.of(answers));
        } else {
          launch[0].run();
        }
      });
    };
    for (int k = 0; k < Math.min(EMBED_CONCURRENCY, bodies.size()); k++) launch[0].run();
    return done.future();
  }

  @Override
  public Future<Void> probe(long timeoutMillis) {
    return credentials().compose(c -> http.probe(probeUrl, timeoutMillis)).recover(t -> {
      // Authenticated but not allowed to list models: the credentials and the signature are good.
      if (t instanceof ProviderException e && e.getMessage().contains(" AccessDeniedException")) return Future.succeededFuture();
      return Future.failedFuture(t);
    });
  }

  @Override
  public Future<Void> close(java.time.Duration grace) {
    Future<Void> pool = http.close(grace);
    if (auth.source() instanceof WebIdentityCredentialSource w) return Future.all(pool, w.close()).mapEmpty();
    if (auth.source() instanceof ProfileCredentialSource p) return Future.all(pool, p.close()).mapEmpty();
    return pool;
  }

  /** Credentials ready for signing; their secrets join the redactor's list the first time they are seen. */
  private Future<AwsCredentials> credentials() {
    return auth.ready().<AwsCredentials>map(c -> {
      if (registered.getAndSet(c) != c) {
        List<String> secrets = new ArrayList<>();
        secrets.add(c.secretAccessKey());
        if (c.sessionToken() != null) secrets.add(c.sessionToken());
        redactor.update(secrets);
      }
      return c;
    }).recover(t -> Future.failedFuture(ProviderException.of(name, ErrorType.AUTH,
        redactor.redact(name + " has no usable AWS credentials (" + auth.source().describe() + "): " + t.getMessage()))));
  }

  private String url(ProviderCall call, String action) {
    return baseUrl + "/model/" + SigV4.wirePathSegment(call.upstreamModel()) + action;
  }

  private static Buffer body(ProviderCall call) {
    return CODEC.encodeRequest(call.request().neutral(),
        new EgressOptions(call.upstreamModel(), false, call.config().maxTokensDefault()));
  }

  /** A request Converse cannot carry (an image by URL): the client's mistake, said in its terms. */
  private ProviderException refused(CodecException e) {
    return new ProviderException(name, ErrorType.BAD_REQUEST, 400, name + " (Bedrock) cannot take this request: "
        + e.getMessage(), null, null);
  }

  /** Converse names neither the answer nor the model: both are added in front of its fields. */
  static Buffer named(Buffer body, String id, String model) {
    String text = body.toString(StandardCharsets.UTF_8);
    int brace = text.indexOf('{');
    if (brace < 0) return body;
    String rest = text.substring(brace + 1);
    String head = "{\"id\":\"" + id + "\",\"model\":" + dev.ossaat.orchestrator.codec.Json.MAPPER.valueToTree(model);
    return Buffer.buffer(head + (rest.strip().startsWith("}") ? "" : ",") + rest);
  }

  private static String answerId() {
    return "bedrock-" + (ThreadLocalRandom.current().nextLong() >>> 1);
  }
}
