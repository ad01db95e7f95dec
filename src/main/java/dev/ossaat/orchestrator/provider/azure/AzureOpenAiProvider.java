package dev.ossaat.orchestrator.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.openai.OpenAiCodec;
import dev.ossaat.orchestrator.config.AzureSettings;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.HttpUpstream;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.UpstreamErrors;
import dev.ossaat.orchestrator.provider.auth.UpstreamAuth;
import dev.ossaat.orchestrator.provider.openai.OpenAiCompatibleProvider;
import dev.ossaat.orchestrator.provider.openai.OpenAiStreamDialect;
import dev.ossaat.orchestrator.secrets.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Azure OpenAI: OpenAI's wire format on Azure's paths. With a dated {@code apiVersion},
 * {@code <base>/openai/deployments/<deployment>/chat/completions?api-version=<v>} (the deployment in
 * the URL, the body as the client sent it); with {@code apiVersion: v1}, {@code <base>/openai/v1/chat/completions}
 * with the deployment as the body's model. Each model goes to its configured deployment; prices and
 * metrics keep the model's name, so a deployment is priced as the model it serves. The credential is
 * the {@code api-key} header, or a bearer token ({@code auth: bearer}, Microsoft Entra ID).
 *
 * <p>Azure's content filter: an answer it cut ends with {@code finish_reason: content_filter} (passed
 * on, or translated to Anthropic's {@code refusal}); a prompt it refuses is a 400 with
 * {@code code: content_filter} (innererror {@code ResponsibleAIPolicyViolation}): a client error, not
 * retried or sent elsewhere (another deployment would refuse it too); an OpenAI client gets Azure's body
 * as sent, other clients a message that names the content filter.
 */
public final class AzureOpenAiProvider implements Provider {
  private static final OpenAiCodec CODEC = OpenAiCodec.INSTANCE;

  private final String name;
  private final HttpUpstream http;
  private final String baseUrl;
  private final AzureSettings azure;

  public AzureOpenAiProvider(Vertx vertx, ProviderConfig config, Redactor redactor) {
    this.name = config.name();
    this.azure = config.azure() != null ? config.azure()
        : new AzureSettings(AzureSettings.DEFAULT_API_VERSION, java.util.Map.of(), false);
    UpstreamAuth auth = azure.bearer() ? UpstreamAuth.bearer(config.apiKey()) : UpstreamAuth.header("api-key", config.apiKey());
    this.http = new HttpUpstream(vertx, config, auth, config.headers(), new UpstreamErrors(config.name(), WireFormat.OPENAI, redactor));
    // The resource's endpoint; a base URL copied with Azure's path prefix on it still works.
    String base = config.baseUrl();
    if (base.endsWith("/openai/v1")) base = base.substring(0, base.length() - "/openai/v1".length());
    if (base.endsWith("/openai")) base = base.substring(0, base.length() - "/openai".length());
    this.baseUrl = base;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
  }

  @Override
  public boolean supports(Operation operation) {
    return true;
  }

  @Override
  public Future<Completion> complete(ProviderCall call) {
    return http.post(call, url(call, "chat/completions"), body(call, false), WireFormat.OPENAI, CODEC::usageOf)
        .recover(this::contentFilter);
  }

  @Override
  public Future<ChatStream> stream(ProviderCall call) {
    boolean clientWantsUsage = call.request().format() != WireFormat.OPENAI || call.request().includeUsage();
    return http.stream(call, url(call, "chat/completions"), body(call, true), () -> new OpenAiStreamDialect(name, clientWantsUsage))
        .recover(this::contentFilter);
  }

  @Override
  public Future<Completion> embed(ProviderCall call) {
    return http.post(call, url(call, "embeddings"), body(call, false), WireFormat.OPENAI, CODEC::usageOf)
        .recover(this::contentFilter);
  }

  @Override
  public Future<Void> probe(long timeoutMillis) {
    String url = azure.v1() ? baseUrl + "/openai/v1/models" : baseUrl + "/openai/models?api-version=" + azure.apiVersion();
    return http.probe(url, timeoutMillis);
  }

  @Override
  public Future<Void> close(java.time.Duration grace) {
    return http.close(grace);
  }

  private String url(ProviderCall call, String operation) {
    if (azure.v1()) return baseUrl + "/openai/v1/" + operation;
    return baseUrl + "/openai/deployments/" + azure.deployment(call.upstreamModel()) + "/" + operation + "?api-version="
        + azure.apiVersion();
  }

  /** The v1 API takes the deployment as the model; the deployments path ignores the body's model. */
  private Buffer body(ProviderCall call, boolean stream) {
    String model = azure.v1() ? azure.deployment(call.upstreamModel()) : call.upstreamModel();
    return OpenAiCompatibleProvider.body(call, model, stream);
  }

  /** A 400 from Azure's content filter, named as such for clients that do not get Azure's body as sent. */
  private <T> Future<T> contentFilter(Throwable t) {
    if (!(t instanceof ProviderException e) || e.type() != ErrorType.BAD_REQUEST || e.upstreamBody() == null) {
      return Future.failedFuture(t);
    }
    JsonNode error;
    try {
      error = Json.parseObject(e.upstreamBody()).path("error");
    } catch (RuntimeException notJson) {
      return Future.failedFuture(t);
    }
    boolean filtered = "content_filter".equals(error.path("code").asText())
        || "ResponsibleAIPolicyViolation".equals(error.path("innererror").path("code").asText());
    if (!filtered) return Future.failedFuture(t);
    String message = name + " content_filter (Azure's content management policy refused the request): "
        + error.path("message").asText("");
    return Future.failedFuture(new ProviderException(name, ErrorType.BAD_REQUEST, e.upstreamStatus(), message, e.upstreamBody(),
        WireFormat.OPENAI, null));
  }
}
