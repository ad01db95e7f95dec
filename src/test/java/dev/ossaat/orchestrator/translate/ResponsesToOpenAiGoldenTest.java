package dev.ossaat.orchestrator.translate;

import dev.ossaat.orchestrator.exchange.WireFormat;

/** A Responses client and a provider speaking Chat Completions (translated): see {@link ResponsesClientGoldenCases}. */
class ResponsesToOpenAiGoldenTest extends ResponsesClientGoldenCases {
  @Override
  WireFormat provider() {
    return WireFormat.OPENAI;
  }

  @Override
  String pair() {
    return "responses-to-openai";
  }
}
