package dev.ossaat.orchestrator.provider.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * AWS's published Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html):
 * key AKIDEXAMPLE, region us-east-1, service "service", 2015-08-30T12:36:00Z. Each case gives the
 * request, the canonical request's last line (signed headers) and the expected signature.
 */
class SigV4TestVectorsTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String DATE = "20150830T123600Z";
  static final String TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

  record Vector(String name, String method, String path, String query, Map<String, List<String>> extraHeaders,
      String signedHeaders, String signature) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Map<String, List<String>> headers(String... nameValues) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      out.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
    }
    return out;
  }

  static List<Vector> vectors() {
    return List.of(
        new Vector("get-vanilla", "GET", "/", null, headers(), "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new Vector("post-vanilla", "POST", "/", null, headers(), "host;x-amz-date",
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        new Vector("get-vanilla-empty-query-key", "GET", "/", "Param1=value1", headers(), "host;x-amz-date",
            "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        new Vector("post-vanilla-query", "POST", "/", "Param1=value1", headers(), "host;x-amz-date",
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        new Vector("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", headers(), "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        new Vector("get-vanilla-query-order-key", "GET", "/", "Param1=value2&Param1=Value1", headers(), "host;x-amz-date",
            "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
        new Vector("get-vanilla-query-order-value", "GET", "/", "Param1=value2&Param1=value1", headers(), "host;x-amz-date",
            "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
        new Vector("get-vanilla-query-unreserved", "GET", "/",
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            headers(), "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        new Vector("get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", null,
            headers(), "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        new Vector("get-space (normalize-path)", "GET", "/example space/", null, headers(), "host;x-amz-date",
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        new Vector("get-header-key-duplicate", "GET", "/", null,
            headers("My-Header1", "value2", "My-Header1", "value2", "My-Header1", "value1"), "host;my-header1;x-amz-date",
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        new Vector("get-header-value-order", "GET", "/", null,
            headers("My-Header1", "value4", "My-Header1", "value1", "My-Header1", "value3", "My-Header1", "value2"),
            "host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        new Vector("get-header-value-trim", "GET", "/", null,
            headers("My-Header1", " value1", "My-Header2", " \"a   b   c\""), "host;my-header1;my-header2;x-amz-date",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        new Vector("post-header-key-sort", "POST", "/", null, headers("My-Header1", "value1"), "host;my-header1;x-amz-date",
            "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        new Vector("post-header-value-case", "POST", "/", null, headers("My-Header1", "VALUE1"), "host;my-header1;x-amz-date",
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        new Vector("post-sts-header-before", "POST", "/", null, headers("X-Amz-Security-Token", TOKEN),
            "host;x-amz-date;x-amz-security-token", "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void signsLikeTheTestSuite(Vector v) {
    Map<String, List<String>> headers = headers("Host", "example.amazonaws.com", "X-Amz-Date", DATE);
    v.extraHeaders().forEach((k, values) -> headers.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(values));
    SigV4.Signature s = SigV4.sign(v.method(), v.path(), v.query(), headers, SigV4.EMPTY_SHA256, SECRET, "us-east-1",
        "service", DATE);
    assertThat(s.signedHeaders()).isEqualTo(v.signedHeaders());
    assertThat(s.signature()).as(s.canonicalRequest()).isEqualTo(v.signature());
    assertThat(s.authorization("AKIDEXAMPLE")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders="
        + v.signedHeaders() + ", Signature=" + v.signature());
  }

  @Test
  void canonicalRequestOfGetVanillaIsTheSuitesOwn() {
    SigV4.Signature s = SigV4.sign("GET", "/", null, headers("Host", "example.amazonaws.com", "X-Amz-Date", DATE),
        SigV4.EMPTY_SHA256, SECRET, "us-east-1", "service", DATE);
    assertThat(s.canonicalRequest()).isEqualTo("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
        + "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(s.stringToSign()).isEqualTo("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  }

  /**
   * A Bedrock model id's ':' goes on the wire as %3A, and AWS (every service but S3) signs the wire
   * path encoded once more: %253A. Signing the raw id instead is the classic "signature does not
   * match" for inference profiles.
   */
  @Test
  void bedrockModelIdsAreSignedDoubleEncoded() {
    String wire = "/model/" + SigV4.wirePathSegment("us.anthropic.claude-3-5-sonnet-20241022-v2:0") + "/converse";
    assertThat(wire).isEqualTo("/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse");
    assertThat(SigV4.canonicalUri(wire)).isEqualTo("/model/us.anthropic.claude-3-5-sonnet-20241022-v2%253A0/converse");
    assertThat(SigV4.wirePathSegment("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-1-8b-instruct-v1:0"))
        .isEqualTo("arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.meta.llama3-1-8b-instruct-v1%3A0");
  }
}
