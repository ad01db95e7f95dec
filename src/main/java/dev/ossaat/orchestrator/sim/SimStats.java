package dev.ossaat.orchestrator.sim;

/**
 * A snapshot of what one scenario of the simulator has seen.
 *
 * @param requests every API request of the scenario (chat, embeddings, models, messages, count_tokens), valid
 *     or not
 * @param chatRequests requests to {@code /chat/completions}, streaming or not
 * @param streamRequests chat requests that asked for {@code "stream": true}
 * @param embeddingRequests requests to {@code /embeddings}
 * @param faultsInjected requests that were given the profile's fault
 * @param clientClosedEarly requests whose connection the client closed before the simulator finished
 *     answering (timeouts and cancellations upstream of the simulator)
 * @param inFlight requests the simulator has not finished answering yet
 * @param lastRequestBody raw body of the last chat, embeddings or messages request, null before the first
 * @param lastAuthorization {@code Authorization} header of the last API request, null when absent
 * @param messagesRequests requests to Anthropic's {@code /messages}, streaming or not (streaming ones are
 *     counted in streamRequests too)
 */
public record SimStats(
    long requests,
    long chatRequests,
    long streamRequests,
    long embeddingRequests,
    long faultsInjected,
    long clientClosedEarly,
    int inFlight,
    String lastRequestBody,
    String lastAuthorization,
    long messagesRequests) {}
