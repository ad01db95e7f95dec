// npm `openai`'s responses API against orchestrator's POST /v1/responses. baseUrl is the gateway's .../v1.
import OpenAI, * as sdk from 'openai';
import { main } from './harness.mjs';

const client = (baseUrl) => new OpenAI({ baseURL: baseUrl, apiKey: 'test-key', maxRetries: 0, timeout: 30_000 });

const cases = {
  async create({ baseUrl, model }) {
    const r = await client(baseUrl).responses.create({ model, input: 'Say hello', instructions: 'Be brief' });
    return { id: r.id, object: r.object, status: r.status, text: r.output_text, usage: r.usage ?? null };
  },

  async stream({ baseUrl, model }) {
    const stream = await client(baseUrl).responses.create({ model, input: 'Say hello', stream: true });
    let text = '';
    const types = [];
    let completed = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    return { text, types, id: completed?.id ?? null, usage: completed?.usage ?? null };
  },

  // Two turns on two gateways: the second names the first with previous_response_id. The model
  // argument is "<model> <second gateway base URL>".
  async follow_up({ baseUrl, model }) {
    const [name, other] = model.split(' ');
    const first = await client(baseUrl).responses.create({ model: name, input: 'My name is Ada.' });
    const second = await client(other).responses.create({ model: name, input: 'What is my name?',
      previous_response_id: first.id });
    const fetched = await client(other).responses.retrieve(first.id);
    return { first: first.id, second: second.id, previous: second.previous_response_id, text: second.output_text,
      fetched: fetched.id };
  },

  // A stream the provider breaks after it started (the test sets the fault): the SDK must raise.
  async stream_error({ baseUrl, model }) {
    const stream = await client(baseUrl).responses.create({ model, input: 'Say hello', stream: true });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    return { unexpectedSuccess: true, text };
  },
};

await main(cases, sdk);
