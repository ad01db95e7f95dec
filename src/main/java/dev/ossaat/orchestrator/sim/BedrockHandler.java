package dev.ossaat.orchestrator.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves AWS Bedrock's runtime as the gateway meets it: {@code POST .../model/{id}/converse} and
 * {@code .../converse-stream} (answered in AWS's binary event-stream framing), {@code .../invoke} for
 * the embedding models ({@link BedrockInvokeBodies}), the control plane's
 * {@code GET .../foundation-models} (the probe), and STS's {@code AssumeRoleWithWebIdentity}
 * ({@code POST /<scenario>/sts/} or {@code /<scenario>/v1/sts/}). Every Bedrock request's SigV4 signature is verified with
 * {@link BedrockKeys} (a bad one gets Bedrock's 403 {@code InvalidSignatureException}), then the
 * scenario's profile applies as for every other format: latency, chunks, usage with cache tokens, and
 * each fault in Bedrock's shape.
 *
 * <p>Paths: {@code /<scenario>/bedrock/...}, or {@code /<scenario>/v1/...} so a scenario's usual base
 * URL serves as a Bedrock endpoint too. With {@code chunkIntervalMs} above 0 each event-stream message
 * is written in two halves, so frames reach the client split across TCP reads, as AWS's do.
 */
final class BedrockHandler {
  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  private final Vertx vertx;
  private final AtomicLong requestIds = new AtomicLong();
  private final AtomicLong toolUseIds = new AtomicLong();

  /** Where a request goes; {@code modelId} is decoded, {@code stream} marks converse-stream. */
  record Route(String scenario, Endpoint endpoint, String modelId, boolean stream) {}

  BedrockHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The Bedrock or STS route of {@code path}, or null. */
  static Route route(String path) {
    String[] parts = path.split("/", -1);
    // "", scenario, ("bedrock"|"v1"|"sts"), ...
    if (parts.length < 3) return null;
    String scenario = parts[1];
    if (scenario.isEmpty()) return null;
    int sts = parts[2].equals("v1") && parts.length > 3 ? 3 : 2;
    if (parts[sts].equals("sts") && (parts.length == sts + 1 || (parts.length == sts + 2 && parts[sts + 1].isEmpty()))) {
      return new Route(scenario, Endpoint.STS, null, false);
    }
    if (!parts[2].equals("bedrock") && !parts[2].equals("v1")) return null;
    if (parts.length == 4 && parts[3].equals("foundation-models")) return new Route(scenario, Endpoint.FOUNDATION_MODELS, null, false);
    if (parts.length == 6 && parts[3].equals("model") && !parts[4].isEmpty()
        && (parts[5].equals("converse") || parts[5].equals("converse-stream"))) {
      return new Route(scenario, Endpoint.CONVERSE, URLDecoder.decode(parts[4], StandardCharsets.UTF_8),
          parts[5].equals("converse-stream"));
    }
    if (parts.length == 6 && parts[3].equals("model") && !parts[4].isEmpty() && parts[5].equals("invoke")) {
      return new Route(scenario, Endpoint.EMBEDDINGS, URLDecoder.decode(parts[4], StandardCharsets.UTF_8), false);
    }
    return null;
  }

  void handle(HttpServerRequest request, Route route, Scenario scenario) {
    if (!request.method().equals(route.endpoint().method())) {
      request.response().setStatusCode(405).putHeader("x-amzn-errortype", "UnknownOperationException").end("{\"message\":null}");
      return;
    }
    ActiveProfile active = scenario.active();
    scenario.requestArrived(route.endpoint(), request.getHeader("authorization"));
    Exchange exchange = new Exchange(vertx, request, scenario);
    exchange.response().putHeader("x-amzn-requestid", "sim-" + requestIds.incrementAndGet());
    request.body().onSuccess(body -> {
      if (route.endpoint() == Endpoint.STS) {
        sts(exchange, body);
      } else {
        answer(exchange, active, route, body);
      }
    });
  }

  private void answer(Exchange exchange, ActiveProfile active, Route route, Buffer body) {
    Scenario scenario = exchange.scenario();
    HttpServerRequest request = exchange.request();
    SigV4Verifier.Outcome signature = SigV4Verifier.verify(request.method().name(), request.path(), request.query(),
        request.headers(), body, "bedrock");
    if (route.endpoint() == Endpoint.CONVERSE || route.endpoint() == Endpoint.EMBEDDINGS) {
      scenario.bodyReceived(body);
      scenario.requestRecorded(LastRequest.of(exchange, route.endpoint(), body, signature.ok()));
    }
    if (!signature.ok()) {
      send(exchange, new BedrockErrorBodies.AwsError(signature.error(), signature.status(), signature.message()));
      return;
    }
    SimProfile profile = active.profile();
    if (route.endpoint() == Endpoint.FOUNDATION_MODELS) {
      if (BedrockKeys.INVOKE_ONLY_ACCESS_KEY_ID.equals(signature.accessKeyId())) {
        send(exchange, new BedrockErrorBodies.AwsError("AccessDeniedException", 403, "User is not authorized to perform: "
            + "bedrock:ListFoundationModels"));
        return;
      }
      exchange.after(active.headerDelayMs(), () -> exchange.sendJson(200, """
          {"modelSummaries":[{"modelId":"anthropic.claude-3-5-sonnet-20241022-v2:0","providerName":"Anthropic",\
          "outputModalities":["TEXT"],"responseStreamingSupported":true}]}"""));
      return;
    }
    if (route.endpoint() == Endpoint.EMBEDDINGS) {
      invoke(exchange, active, route, body);
      return;
    }
    ConverseRequest converse;
    try {
      converse = ConverseRequest.parse(body);
    } catch (BadRequestException e) {
      send(exchange, BedrockErrorBodies.validation(e.getMessage()));
      return;
    }
    if (route.stream()) scenario.streamRequested();
    Fault fault = active.drawFault();
    if (fault != Fault.NONE) scenario.faultInjected();
    exchange.after(active.headerDelayMs(), () -> deliver(exchange, profile, route, converse, fault));
  }

  /** InvokeModel of an embedding model: validated, then the scenario's faults as for Converse. */
  private void invoke(Exchange exchange, ActiveProfile active, Route route, Buffer body) {
    if (!BedrockInvokeBodies.embeds(route.modelId())) {
      send(exchange, BedrockErrorBodies.validation("The simulator's InvokeModel serves Titan Text Embeddings v2 and Cohere Embed only"));
      return;
    }
    String answer;
    try {
      answer = BedrockInvokeBodies.answer(route.modelId(), body, active.profile().omitUsage());
    } catch (BadRequestException e) {
      send(exchange, BedrockErrorBodies.validation(e.getMessage()));
      return;
    }
    Fault fault = active.drawFault();
    if (fault != Fault.NONE) exchange.scenario().faultInjected();
    exchange.after(active.headerDelayMs(), () -> deliver(exchange, active.profile(), route, null, fault,
        () -> ApiHandler.sendBody(exchange, answer, fault == Fault.CUT_STREAM)));
  }

  private void deliver(Exchange exchange, SimProfile profile, Route route, ConverseRequest request, Fault fault) {
    deliver(exchange, profile, route, request, fault, () -> converse(exchange, profile, route, request, fault));
  }

  private void deliver(Exchange exchange, SimProfile profile, Route route, ConverseRequest request, Fault fault, Runnable success) {
    switch (fault) {
      case NONE, CUT_STREAM -> success.run();
      case STREAM_ERROR -> {
        if (route.stream()) {
          success.run();
        } else {
          send(exchange, BedrockErrorBodies.forStatus(503));
        }
      }
      case ERROR -> send(exchange, BedrockErrorBodies.forStatus(profile.errorStatus()));
      case ECHO_CREDENTIAL -> send(exchange, new BedrockErrorBodies.AwsError("UnrecognizedClientException",
          profile.errorStatus(), "The security token included in the request is invalid: "
              + exchange.header("authorization") + " " + exchange.header("x-amz-security-token")));
      case RATE_LIMIT -> {
        ApiHandler.retryAfterHeaders(exchange.response(), profile);
        send(exchange, BedrockErrorBodies.throttled());
      }
      case RESET -> exchange.resetConnection();
      case HANG -> { } // never answer: the exchange counts the client giving up
    }
  }

  private void converse(Exchange exchange, SimProfile profile, Route route, ConverseRequest request, Fault fault) {
    Generation generation = request.generate(profile);
    String toolUseId = generation.toolCall() == null ? null : "tooluse_sim_" + toolUseIds.incrementAndGet();
    if (!route.stream()) {
      ApiHandler.sendBody(exchange, BedrockBodies.answer(profile, generation, toolUseId, request.wantsStopSequence()), fault == Fault.CUT_STREAM);
      return;
    }
    BedrockBodies.Stream stream = BedrockBodies.stream(profile, generation, toolUseId, request.wantsStopSequence());
    List<Buffer> messages = new ArrayList<>(stream.content());
    Buffer trailer;
    if (fault == Fault.NONE) {
      messages.addAll(stream.closing());
      trailer = Buffer.buffer();
    } else {
      // messageStart, then cutAfterChunks content messages
      messages = messages.subList(0, Math.min(1 + profile.cutAfterChunks(), messages.size()));
      trailer = fault == Fault.STREAM_ERROR
          ? BedrockBodies.exception("serviceUnavailableException", "Bedrock is unable to process your request.") : null;
    }
    List<Buffer> steps = profile.chunkIntervalMs() > 0 ? halves(messages) : messages;
    exchange.streamBinary(EVENT_STREAM, steps, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }

  /** Every message cut in two: frames that straddle TCP reads. */
  private static List<Buffer> halves(List<Buffer> messages) {
    List<Buffer> out = new ArrayList<>(messages.size() * 2);
    for (Buffer m : messages) {
      int half = m.length() / 2;
      out.add(m.getBuffer(0, half));
      out.add(m.getBuffer(half, m.length()));
    }
    return out;
  }

  private static void send(Exchange exchange, BedrockErrorBodies.AwsError error) {
    exchange.response().putHeader("x-amzn-errortype", error.header());
    exchange.sendJson(error.status(), error.body());
  }

  /** STS {@code AssumeRoleWithWebIdentity}: the temporary key pair for any token but the bad one, for an hour. */
  private void sts(Exchange exchange, Buffer body) {
    exchange.scenario().requestRecorded(LastRequest.of(exchange, Endpoint.STS, body, null));
    String form = body.toString(StandardCharsets.UTF_8);
    String action = field(form, "Action");
    String token = field(form, "WebIdentityToken");
    String role = field(form, "RoleArn");
    if (!"AssumeRoleWithWebIdentity".equals(action) || role == null || token == null || token.isEmpty()
        || token.equals(BedrockKeys.BAD_WEB_IDENTITY_TOKEN)) {
      exchange.send(400, "text/xml", """
          <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>\
          <Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key from your identity provider</Message>\
          </Error><RequestId>sim</RequestId></ErrorResponse>""");
      return;
    }
    Instant expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    exchange.send(200, "text/xml", "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        + "<AssumeRoleWithWebIdentityResult><Credentials>"
        + "<AccessKeyId>" + BedrockKeys.STS_ACCESS_KEY_ID + "</AccessKeyId>"
        + "<SecretAccessKey>" + BedrockKeys.STS_SECRET_ACCESS_KEY + "</SecretAccessKey>"
        + "<SessionToken>" + BedrockKeys.STS_SESSION_TOKEN + "</SessionToken>"
        + "<Expiration>" + expires + "</Expiration>"
        + "</Credentials><AssumedRoleUser><Arn>" + role + "/sim</Arn></AssumedRoleUser>"
        + "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  }

  private static String field(String form, String name) {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
    }
    return null;
  }
}
