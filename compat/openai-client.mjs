// npm `openai` against orchestrator's OpenAI-compatible API. baseUrl is the gateway's .../v1.
import OpenAI, * as sdk from 'openai';
import { main } from './harness.mjs';

const client = (baseUrl) => new OpenAI({ baseURL: baseUrl, apiKey: 'test-key', maxRetries: 0, timeout: 30_000 });
const messages = [{ role: 'user', content: 'Say hello' }];

const cases = {
  async chat({ baseUrl, model }) {
    const c = await client(baseUrl).chat.completions.create({ model, messages });
    return { object: c.object, model: c.model, content: c.choices[0]?.message?.content ?? null,
      finishReason: c.choices[0]?.finish_reason ?? null, usage: c.usage ?? null };
  },

  async stream({ baseUrl, model }) {
    const stream = await client(baseUrl).chat.completions.create({
      model, messages, stream: true, stream_options: { include_usage: true } });
    let content = '';
    let usage = null;
    let chunks = 0;
    let finishReason = null;
    let usageChunkChoices = null;
    for await (const chunk of stream) {
      chunks++;
      for (const choice of chunk.choices) {
        content += choice.delta?.content ?? '';
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
      if (chunk.usage) {
        usage = chunk.usage;
        usageChunkChoices = chunk.choices.length;
      }
    }
    return { content, usage, chunks, finishReason, usageChunkChoices };
  },

  // The SDK's default: it asks for encoding_format "base64" and decodes what comes back as base64.
  async embeddings_default({ baseUrl, model }) {
    const r = await client(baseUrl).embeddings.create({ model, input: ['alpha', 'beta'] });
    return { vectors: r.data.map((d) => Array.from(d.embedding)), usage: r.usage ?? null };
  },

  async embeddings_float({ baseUrl, model }) {
    const r = await client(baseUrl).embeddings.create({ model, input: ['alpha', 'beta'], encoding_format: 'float' });
    return { vectors: r.data.map((d) => Array.from(d.embedding)), usage: r.usage ?? null };
  },

  // A stream the provider breaks after it started (the test sets the fault): the SDK must raise, not
  // end quietly as if the answer were complete. The typed error is the result.
  async stream_error({ baseUrl, model }) {
    const stream = await client(baseUrl).chat.completions.create({ model, messages, stream: true });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
    return { unexpectedSuccess: true, content };
  },

  // A single call expected to fail (the test sets the simulated fault): the typed error is the result.
  async chat_error({ baseUrl, model }) {
    const c = await client(baseUrl).chat.completions.create({ model, messages });
    return { unexpectedSuccess: true, content: c.choices[0]?.message?.content ?? null };
  },
};

await main(cases, sdk);
