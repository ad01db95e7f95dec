package dev.ossaat.orchestrator.codec.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.GenerationParams;
import dev.ossaat.orchestrator.exchange.Message;
import dev.ossaat.orchestrator.exchange.Role;
import dev.ossaat.orchestrator.exchange.StopReason;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import dev.ossaat.orchestrator.exchange.ToolDefinition;
import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the simulator cannot produce: guardrail stops, reasoning blocks, cache points, thinking for Claude only. */
class BedrockCodecTest {
  static final BedrockCodec CODEC = BedrockCodec.INSTANCE;

  @Test
  void guardrailAndContentFilterStopsAreAContentFilter() {
    for (String stop : List.of("guardrail_intervened", "content_filtered")) {
      ChatResponse r = CODEC.decodeResponse(Buffer.buffer("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
          + "[{\"text\":\"\"}]}},\"stopReason\":\"" + stop + "\",\"usage\":{\"inputTokens\":5,\"outputTokens\":0}}"));
      assertThat(r.stop()).as(stop).isEqualTo(StopReason.CONTENT_FILTER);
    }
    List<StreamEvent> events = new ArrayList<>();
    CODEC.streamDecoder().decode(Buffer.buffer("event: messageStop\ndata: {\"stopReason\":\"guardrail_intervened\"}\n\n"), events::add);
    assertThat(events).containsExactly(new StreamEvent.MessageStop(StopReason.CONTENT_FILTER, null));
  }

  @Test
  void reasoningAndCacheUsageAreRead() {
    ChatResponse r = CODEC.decodeResponse(Buffer.buffer("""
        {"id":"bedrock-1","model":"m","output":{"message":{"role":"assistant","content":[
          {"reasoningContent":{"reasoningText":{"text":"Think.","signature":"sig"}}},{"text":"Hi"}]}},
         "stopReason":"end_turn","usage":{"inputTokens":10,"outputTokens":3,"cacheReadInputTokens":20,"cacheWriteInputTokens":5}}"""));
    assertThat(r.content()).containsExactly(new ContentBlock.Reasoning("Think.", "sig"), new ContentBlock.Text("Hi"));
    assertThat(r.usage()).isEqualTo(new Usage(35, 3, 20, 5, 0, false));
    List<StreamEvent> events = new ArrayList<>();
    var decoder = CODEC.streamDecoder();
    decoder.decode(Buffer.buffer("event: contentBlockDelta\ndata: {\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Th\"}}}\n\n"), events::add);
    decoder.decode(Buffer.buffer("event: contentBlockDelta\ndata: {\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"s\"}}}\n\n"), events::add);
    decoder.decode(Buffer.buffer("event: contentBlockStop\ndata: {\"contentBlockIndex\":0}\n\n"), events::add);
    assertThat(events).containsExactly(new StreamEvent.BlockStart(0, ContentBlock.Kind.REASONING, null, null),
        new StreamEvent.ReasoningDelta(0, "Th"), new StreamEvent.SignatureDelta(0, "s"), new StreamEvent.BlockStop(0));
  }

  @Test
  void cacheMarksBecomeCachePointsAndThinkingGoesToClaudeOnly() {
    ObjectNode marker = Json.object().put("type", "ephemeral");
    ChatRequest request = new ChatRequest("m", List.of(new ContentBlock.Text("Long system prompt", marker)),
        List.of(new Message(Role.USER, List.of(new ContentBlock.Text("Hi")))),
        List.of(new ToolDefinition("t", null, Json.object().put("type", "object"), marker)), null,
        new GenerationParams(100, null, null, 40, List.of(), null, Json.object().put("type", "enabled").put("budget_tokens", 1024),
            null, null, null), false);
    ObjectNode claude = CODEC.encodeRequestTree(request, new EgressOptions("us.anthropic.claude-sonnet-4-5-20250929-v1:0", false, 4096));
    assertThat(claude.path("system")).isEqualTo(Json.parseObject(
        "{\"a\":[{\"text\":\"Long system prompt\"},{\"cachePoint\":{\"type\":\"default\"}}]}").get("a"));
    assertThat(claude.path("toolConfig").path("tools").path(1)).isEqualTo(Json.parseObject("{\"cachePoint\":{\"type\":\"default\"}}"));
    assertThat(claude.path("additionalModelRequestFields")).isEqualTo(Json.parseObject(
        "{\"top_k\":40,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}"));
    ObjectNode nova = CODEC.encodeRequestTree(request, new EgressOptions("amazon.nova-pro-v1:0", false, 4096));
    assertThat(nova.path("additionalModelRequestFields")).isEqualTo(Json.parseObject("{\"top_k\":40}"));
  }
}
