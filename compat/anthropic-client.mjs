// npm `@anthropic-ai/sdk` against orchestrator's Messages API. baseUrl is the gateway's root: the SDK
// appends /v1/messages itself.
import Anthropic, * as sdk from '@anthropic-ai/sdk';
import { main } from './harness.mjs';

const client = (baseUrl) => new Anthropic({ baseURL: baseUrl, apiKey: 'test-key', maxRetries: 0, timeout: 30_000 });
const messages = [{ role: 'user', content: 'Say hello' }];

const weatherTool = {
  name: 'get_weather',
  description: 'The current weather at a location',
  input_schema: {
    type: 'object',
    properties: { location: { type: 'string', description: 'City and country, e.g. Paris, France' } },
    required: ['location'],
  },
};
const toolRequest = (model) => ({
  model,
  max_tokens: 256,
  messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
  tools: [weatherTool],
  tool_choice: { type: 'tool', name: 'get_weather' },
});

/** What the tests look at in a Message, whether it came whole or was accumulated from a stream. */
function summary(m) {
  return {
    type: m.type,
    role: m.role,
    model: m.model,
    stopReason: m.stop_reason ?? null,
    contentTypes: m.content.map((b) => b.type),
    text: m.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    toolUses: m.content.filter((b) => b.type === 'tool_use').map((b) => ({ id: b.id, name: b.name, input: b.input })),
    usage: m.usage ?? null,
  };
}

async function streamed(baseUrl, params) {
  const stream = client(baseUrl).messages.stream(params);
  let deltaText = '';
  const events = [];
  stream.on('text', (t) => { deltaText += t; });
  stream.on('streamEvent', (e) => { events.push(e.type); });
  const final = await stream.finalMessage();
  return { ...summary(final), deltaText, events };
}

const cases = {
  async create({ baseUrl, model }) {
    return summary(await client(baseUrl).messages.create({ model, max_tokens: 256, messages }));
  },
  async stream({ baseUrl, model }) {
    return streamed(baseUrl, { model, max_tokens: 256, messages });
  },
  async tool({ baseUrl, model }) {
    return summary(await client(baseUrl).messages.create(toolRequest(model)));
  },
  async tool_stream({ baseUrl, model }) {
    return streamed(baseUrl, toolRequest(model));
  },
};

await main(cases, sdk);
