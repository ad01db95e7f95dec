package dev.ossaat.orchestrator.codec.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The model families by id (profiles and ARNs included) and the requests each cannot take (unit). */
class BedrockEmbeddingsCodecTest {
  @Test
  void familiesByModelId() {
    assertThat(BedrockEmbeddings.family("amazon.titan-embed-text-v2:0")).isEqualTo(BedrockEmbeddings.Family.TITAN_V2);
    assertThat(BedrockEmbeddings.family("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"))
        .isEqualTo(BedrockEmbeddings.Family.TITAN_V2);
    assertThat(BedrockEmbeddings.family("amazon.titan-embed-text-v1")).isEqualTo(BedrockEmbeddings.Family.TITAN_V1);
    assertThat(BedrockEmbeddings.family("cohere.embed-multilingual-v3")).isEqualTo(BedrockEmbeddings.Family.COHERE);
    assertThat(BedrockEmbeddings.family("us.cohere.embed-v4:0")).isEqualTo(BedrockEmbeddings.Family.COHERE);
    assertThat(BedrockEmbeddings.family("amazon.nova-pro-v1:0")).isNull();
    assertThat(BedrockEmbeddings.family("amazon.titan-embed-image-v1")).as("multimodal: not served").isNull();
  }

  @Test
  void titanV1HasNoDimensionsOrNormalize() {
    var v1 = Json.parseObject("{\"input\":\"a\"}");
    assertThat(BedrockEmbeddings.encode(v1, BedrockEmbeddings.Family.TITAN_V1).get(0).toString()).isEqualTo("{\"inputText\":\"a\"}");
    assertThatThrownBy(() -> BedrockEmbeddings.encode(Json.parseObject("{\"input\":\"a\",\"dimensions\":256}"),
        BedrockEmbeddings.Family.TITAN_V1)).isInstanceOf(CodecException.class).hasMessageContaining("v2");
    assertThatThrownBy(() -> BedrockEmbeddings.encode(Json.parseObject("{\"input\":\"a\",\"dimensions\":512}"),
        BedrockEmbeddings.Family.COHERE)).isInstanceOf(CodecException.class).hasMessageContaining("1024");
    assertThatThrownBy(() -> BedrockEmbeddings.encode(Json.parseObject("{\"input\":[]}"),
        BedrockEmbeddings.Family.COHERE)).isInstanceOf(CodecException.class);
  }

  /** Cohere with embedding_types answers {"embeddings":{"float":[...]}}: read too. */
  @Test
  void cohereTypedAnswerIsRead() {
    var answer = BedrockEmbeddings.decode(Buffer.buffer("{\"embeddings\":{\"float\":[[0.5,0.25]]}}"), BedrockEmbeddings.Family.COHERE);
    assertThat(answer.vectors()).hasSize(1);
    assertThat(answer.tokens()).isNull();
    assertThatThrownBy(() -> BedrockEmbeddings.decode(Buffer.buffer("{\"message\":\"x\"}"), BedrockEmbeddings.Family.TITAN_V2))
        .isInstanceOf(CodecException.class);
  }
}
