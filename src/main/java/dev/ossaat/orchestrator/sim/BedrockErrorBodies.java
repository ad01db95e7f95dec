package dev.ossaat.orchestrator.sim;

/**
 * Bedrock's error answers: {@code {"message": ...}} with the error's name in
 * {@code x-amzn-errortype}. The simulator's {@code errorStatus} picks the error as Bedrock would
 * send it; 401 (which Bedrock never sends) stands for {@code UnrecognizedClientException} (sent as
 * 403) and 425 for {@code ModelNotReadyException} (sent as 429), so every class can be simulated.
 */
final class BedrockErrorBodies {
  private BedrockErrorBodies() {}

  /** An AWS error: its name, the status it goes out with, and its message. */
  record AwsError(String name, int status, String message) {
    String body() {
      return "{\"message\":" + SimJson.quote(message) + "}";
    }

    String header() {
      return name + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
    }
  }

  static AwsError forStatus(int status) {
    return switch (status) {
      case 400 -> new AwsError("ValidationException", 400, "simulated upstream error");
      case 401 -> new AwsError("UnrecognizedClientException", 403, "The security token included in the request is invalid.");
      case 403 -> new AwsError("AccessDeniedException", 403, "You don't have access to the model with the specified model ID.");
      case 404 -> new AwsError("ResourceNotFoundException", 404, "Could not resolve the foundation model from the provided model identifier.");
      case 408 -> new AwsError("ModelTimeoutException", 408, "Model has timed out in processing the request.");
      case 424 -> new AwsError("ModelErrorException", 424, "The model encountered an error processing the request.");
      case 425 -> new AwsError("ModelNotReadyException", 429, "Model is not ready for inference. Wait and try your request again.");
      case 429 -> throttled();
      case 503, 529 -> new AwsError("ServiceUnavailableException", 503, "Bedrock is unable to process your request.");
      default -> status >= 500 ? new AwsError("InternalServerException", status, "simulated upstream error")
          : new AwsError("ValidationException", status, "simulated upstream error");
    };
  }

  static AwsError throttled() {
    return new AwsError("ThrottlingException", 429, "Too many requests, please wait before trying again.");
  }

  static AwsError validation(String message) {
    return new AwsError("ValidationException", 400, message);
  }
}
