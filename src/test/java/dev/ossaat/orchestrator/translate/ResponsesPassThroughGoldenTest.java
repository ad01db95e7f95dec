package dev.ossaat.orchestrator.translate;

import dev.ossaat.orchestrator.exchange.WireFormat;

/** A Responses client and a provider speaking Responses natively (pass-through): see {@link ResponsesClientGoldenCases}. */
class ResponsesPassThroughGoldenTest extends ResponsesClientGoldenCases {
  @Override
  WireFormat provider() {
    return WireFormat.RESPONSES;
  }

  @Override
  String pair() {
    return "responses-passthrough";
  }
}
