package dev.ossaat.orchestrator.translate;

import dev.ossaat.orchestrator.exchange.WireFormat;

/** A Responses client and a provider speaking Anthropic Messages (translated): see {@link ResponsesClientGoldenCases}. */
class ResponsesToAnthropicGoldenTest extends ResponsesClientGoldenCases {
  @Override
  WireFormat provider() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  String pair() {
    return "responses-to-anthropic";
  }
}
