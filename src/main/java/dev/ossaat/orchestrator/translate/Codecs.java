package dev.ossaat.orchestrator.translate;

import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.codec.anthropic.AnthropicCodec;
import dev.ossaat.orchestrator.codec.gemini.GeminiCodec;
import dev.ossaat.orchestrator.codec.openai.OpenAiCodec;
import dev.ossaat.orchestrator.codec.responses.ResponsesCodec;
import dev.ossaat.orchestrator.exchange.WireFormat;

/** The codec of each wire format. */
public final class Codecs {
  private Codecs() {}

  public static ChatCodec of(WireFormat format) {
    return switch (format) {
      case OPENAI -> OpenAiCodec.INSTANCE;
      case ANTHROPIC -> AnthropicCodec.INSTANCE;
      case GEMINI -> GeminiCodec.INSTANCE;
      case RESPONSES -> ResponsesCodec.INSTANCE;
      case BEDROCK -> dev.ossaat.orchestrator.codec.bedrock.BedrockCodec.INSTANCE;
      case OLLAMA -> dev.ossaat.orchestrator.codec.ollama.OllamaCodec.INSTANCE;
    };
  }
}
