package dev.ossaat.orchestrator.sim;

import java.util.List;

/**
 * Azure's content filter cutting an answer: a prompt containing {@link #PROMPT} gets the first part of
 * the content, then {@code finish_reason: content_filter} with the {@code content_filter_results}
 * Azure adds (whole, or streamed: content chunks, the finish chunk, the usage chunk when asked, [DONE]).
 */
final class AzureFilteredAnswer {
  static final String PROMPT = "[sim:filtered_answer]";
  private static final String RESULTS = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"violence\":{\"filtered\":true,\"severity\":\"medium\"}}";

  private AzureFilteredAnswer() {}

  static void send(Exchange exchange, SimProfile profile, ApiRequest request, String id) {
    String kept = ChatBodies.split(profile.content(), 2).get(0);
    String model = SimJson.quote(request.model());
    String usage = ChatBodies.usage(profile, profile.completionTokens() / 2);
    if (!request.stream()) {
      exchange.sendJson(200, "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":0,\"model\":" + model
          + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + SimJson.quote(kept) + "},"
          + "\"finish_reason\":\"content_filter\",\"content_filter_results\":" + RESULTS + "}],\"usage\":" + usage + "}");
      return;
    }
    String head = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":" + model + ",";
    String tail = request.includeUsage() ? ",\"usage\":null}\n\n" : "}\n\n";
    List<String> events = List.of(
        head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":" + SimJson.quote(kept)
            + "},\"finish_reason\":null}]" + tail,
        head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\",\"content_filter_results\":"
            + RESULTS + "}]" + tail);
    String trailer = (request.includeUsage() ? head + "\"choices\":[],\"usage\":" + usage + "}\n\n" : "") + ChatBodies.STREAM_DONE;
    exchange.stream(events, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }
}
