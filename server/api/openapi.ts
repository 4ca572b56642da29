/** The OpenAPI 3.1 description of the external HTTP API (served at /api/openapi.json, shown at /api-docs). */
import { MAX_FRAME_BYTES, MAX_STEPS } from '../services/record-external-rollout';
import { MAX_BODY_BYTES } from './v1';

const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const projectId = { name: 'projectId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };

const rolloutSchema = {
  type: 'object',
  required: ['observations', 'actions'],
  properties: {
    observations: {
      type: 'array',
      description: `T or T+1 observation vectors of the project's observation size (T ≤ ${MAX_STEPS}); finite numbers only`,
      items: { type: 'array', items: { type: 'number' } },
    },
    actions: {
      type: 'array',
      description: 'T actions: an integer in [0, n) for discrete spaces, an array within [low, high] for boxes',
      items: { oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'number' } }] },
    },
    rewards: { type: 'array', items: { type: 'number' }, description: 'T rewards (optional)' },
    terminated: { type: 'boolean', default: false },
    truncated: { type: 'boolean', default: false },
    frames: { type: 'array', items: { type: 'string', contentEncoding: 'base64' }, description: `T base64 PNG or JPEG images, at most ${MAX_FRAME_BYTES} bytes each (optional)` },
    seed: { type: 'integer' },
    policyVersion: { type: 'integer', description: 'the X-Policy-Version the simulator ran' },
  },
};

export const openapi = {
  openapi: '3.1.0',
  info: {
    title: 'DAgger Studio external API',
    version: '1',
    description:
      'For simulators that live outside DAgger Studio: download the deployed policy as ONNX, post rollouts of it (their states are queued for labeling), post demonstrations. Authenticate with a per-project token created in the project dashboard: `Authorization: Bearer dst_…`.',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: { Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] }, Rollout: rolloutSchema },
  },
  security: [{ bearer: [] }],
  paths: {
    '/api/v1/projects/{projectId}/policy': {
      get: {
        summary: 'The deployed policy (ONNX)',
        description: 'Input `obs` [batch, obs_size] float32; outputs `action` and the distribution parameters. The ETag is the file’s SHA-256: send If-None-Match to get 304 while it is unchanged.',
        parameters: [projectId, { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
        responses: {
          200: { description: 'ONNX model', headers: { ETag: { schema: { type: 'string' } }, 'X-Policy-Version': { schema: { type: 'integer' } } }, content: { 'application/octet-stream': {} } },
          304: { description: 'Unchanged since the ETag you sent' },
          401: error,
          403: error,
          404: error,
        },
      },
    },
    '/api/v1/projects/{projectId}/rollouts': {
      post: {
        summary: 'Post a rollout of the deployed policy',
        description: `Validated against the project’s spaces; body at most ${MAX_BODY_BYTES} bytes. States are selected with the project’s strategy and queued for labeling in the open round.`,
        parameters: [projectId],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Rollout' } } } },
        responses: {
          201: { description: 'Stored', content: { 'application/json': { schema: { type: 'object', properties: { rolloutId: { type: 'integer' }, round: { type: 'integer' }, queries: { type: 'integer' } } } } } },
          400: error,
          401: error,
          403: error,
          409: error,
          413: error,
        },
      },
    },
    '/api/v1/projects/{projectId}/demonstrations': {
      post: {
        summary: 'Post an expert demonstration',
        description: 'Same body as a rollout; the actions are the expert’s. Goes straight into the dataset of the current round.',
        parameters: [projectId],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Rollout' } } } },
        responses: { 201: { description: 'Stored' }, 400: error, 401: error, 403: error, 413: error },
      },
    },
  },
} as const;
