/**
 * The OpenAPI 3.1 document of the API (`GET /api/openapi.json`), generated from the route table and
 * its zod schemas with zod's own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1):
 * what the document says is what the server validates and answers.
 */
import { z } from 'zod';
import { ROUTES } from './api.js';
import { errorSchema, healthSchema } from './api-schemas.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid parameter or body; the message names it.',
  401: 'The token is missing or wrong.',
  403: 'Read-only server, CSRF check failed, or a Host that is not this server.',
  404: 'No such system, snapshot, finding or ignore.',
  409: 'An observation of the system is already queued or running.',
  500: 'Internal error (details in the server log).',
  503: 'The database cannot be reached, or the scheduler is not running.',
};

export function openApiDocument(version: string): JsonSchema {
  const error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const paths: Record<string, Record<string, unknown>> = {
    '/healthz': {
      get: {
        summary: 'Liveness and readiness: the database and the scheduler.',
        security: [],
        responses: {
          200: { description: 'Up.', content: { 'application/json': { schema: schemaOf(healthSchema, 'output') } } },
          503: { description: 'The database cannot be read.', content: { 'application/json': { schema: schemaOf(healthSchema, 'output') } } },
        },
      },
    },
    '/metrics': {
      get: {
        summary: "Prometheus text exposition (0.0.4): each system's latest metrics, open findings, the scheduler's health.",
        responses: { 200: { description: 'The metrics.', content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } } },
      },
    },
  };
  for (const route of ROUTES) {
    const parameters: unknown[] = [];
    for (const [name, schema] of Object.entries(route.params ?? {})) {
      parameters.push({ name, in: 'path', required: true, schema: schemaOf(schema, 'input') });
    }
    for (const [name, schema] of Object.entries(route.query.shape as Record<string, z.ZodType>)) {
      const json = schemaOf(schema, 'input');
      parameters.push({
        name,
        in: 'query',
        required: !schema.safeParse(undefined).success,
        ...(typeof json.description === 'string' ? { description: json.description } : {}),
        schema: json,
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(route.responses)) {
      const content: Record<string, unknown> = {};
      if (answer.schema !== undefined) content['application/json'] = { schema: schemaOf(answer.schema, 'output') };
      for (const type of answer.contentTypes ?? []) content[type] = { schema: { type: 'string' } };
      responses[status] = { description: answer.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
    }
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      if (status === '409' && route.method === 'GET') continue;
      responses[status] = { description, ...error };
    }
    const operation: Record<string, unknown> = {
      summary: route.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } }),
      responses,
      // Writes always need the token; reads only when the server says so (GET /api/v1/meta).
      security: route.method === 'GET' ? [{}, { bearer: [] }] : [{ bearer: [] }],
    };
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'prodeng serve',
      version,
      description: 'The API of `prodeng serve`: systems, snapshots, findings, metrics, end of life, TLS, tests and ignores. See docs/api.md.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    paths,
    components: {
      schemas: { Error: schemaOf(errorSchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token of the environment variable named by --token-env (default PRODENG_TOKEN).' } },
    },
  };
}
