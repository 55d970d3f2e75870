import { Hono } from 'hono';

const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'Stable error code (README, "Error codes")' },
        message: { type: 'string' },
        field: { type: 'string', nullable: true },
      },
    },
  },
};

const bearer = [{ bearerAuth: [] }];
const fileResponse = (mediaType: string, what: string) => ({
  '200': {
    description: what,
    content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
  },
  '401': {
    description: 'UNAUTHENTICATED, INVALID_TOKEN or TOKEN_EXPIRED',
    content: { 'application/json': { schema: errorBody } },
  },
  '403': { description: 'FORBIDDEN', content: { 'application/json': { schema: errorBody } } },
});

/** The REST surface beside GraphQL, as OpenAPI 3.0 (DESIGN.md section 7). */
export const OPENAPI = {
  openapi: '3.0.3',
  info: {
    title: 'SISO Hub – REST',
    version: '0.1.0',
    description:
      'REST endpoints of the hub. The domain API is GraphQL at POST /graphql (SDL at GET /graphql/schema.graphql).',
    license: { name: 'EUPL-1.2' },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      clientCredentials: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } },
      },
    },
  },
  paths: {
    '/health': {
      get: {
        summary: 'State of the store, the warehouse and each connector',
        responses: {
          '200': { description: '{"status":"ok", …}' },
          '503': { description: 'A part does not answer; `failing` names it' },
        },
      },
    },
    '/oauth/token': {
      post: {
        summary: 'Client-credentials token for partner systems (RFC 6749 §4.4)',
        requestBody: {
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['grant_type'],
                properties: {
                  grant_type: { type: 'string', enum: ['client_credentials'] },
                  client_id: { type: 'string' },
                  client_secret: { type: 'string' },
                  scope: {
                    type: 'string',
                    description: 'Space-separated, within the granted ones',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: '{"access_token", "token_type": "Bearer", "expires_in", "scope"}' },
          '400': { description: 'invalid_request, unsupported_grant_type or invalid_scope' },
          '401': { description: 'invalid_client' },
        },
      },
    },
    '/api/intake-records/export.xlsx': {
      get: {
        summary: 'Intake records matching the filters, as an Excel workbook',
        security: bearer,
        responses: fileResponse(
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'The workbook',
        ),
      },
    },
    '/api/intake-records/export.csv': {
      get: {
        summary: 'Intake records matching the filters, as CSV (semicolon-separated, UTF-8)',
        security: bearer,
        responses: fileResponse('text/csv', 'The CSV file'),
      },
    },
    '/api/intake-records/{id}/print.pdf': {
      get: {
        summary: 'One intake record, printable (masked fields stay masked)',
        security: bearer,
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        ],
        responses: fileResponse('application/pdf', 'The PDF'),
      },
    },
    '/cubejs-api/v1/load': {
      get: {
        summary:
          "Cube's load: a Cube query (query=<JSON>) answered as Cube answers it, under row-level security and disclosure control",
        security: bearer,
        parameters: [{ name: 'query', in: 'query', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description:
              "Cube's answer: results[] with data, annotation, lastRefreshTime, provenance, disclosure",
          },
          '400': { description: "Cube's {error}" },
        },
      },
      post: {
        summary: 'Cube\'s load, the query in the body ({"query": …})',
        security: bearer,
        responses: {
          '200': { description: "Cube's answer" },
          '400': { description: "Cube's {error}" },
        },
      },
    },
    '/cubejs-api/v1/meta': {
      get: {
        summary: "Cube's meta: the cubes, their measures, dimensions and segments",
        security: bearer,
        responses: { '200': { description: 'The cubes' } },
      },
    },
    '/api/cubes/arrow': {
      post: {
        summary:
          'A Cube query answered as Arrow IPC (stream format), the same cells as /cubejs-api/v1/load',
        security: bearer,
        responses: fileResponse('application/vnd.apache.arrow.stream', 'The Arrow stream'),
      },
    },
    '/api/deliveries/export.xlsx': {
      get: {
        summary:
          'Deliveries matching the filters (personId, interventionId, serviceCode, providerId, projectId, officeId, status, from, to), as an Excel workbook',
        security: bearer,
        responses: fileResponse(
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'The workbook',
        ),
      },
    },
    '/api/deliveries/export.csv': {
      get: {
        summary: 'Deliveries matching the filters, as CSV (semicolon, decimal comma, UTF-8)',
        security: bearer,
        responses: fileResponse('text/csv', 'The CSV file'),
      },
    },
    '/api/deliveries/export.pdf': {
      get: {
        summary: 'Deliveries matching the filters, as a landscape A4 table with the spending total',
        security: bearer,
        responses: fileResponse('application/pdf', 'The PDF'),
      },
    },
    '/api/interventions/export.xlsx': {
      get: {
        summary:
          'Interventions matching the filters (personId, serviceCode, providerId, projectId, officeId, status, from, to), as an Excel workbook; the ISEE absent where the desk masks it',
        security: bearer,
        responses: fileResponse(
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'The workbook',
        ),
      },
    },
    '/api/interventions/export.csv': {
      get: {
        summary: 'Interventions matching the filters, as CSV',
        security: bearer,
        responses: fileResponse('text/csv', 'The CSV file'),
      },
    },
    '/api/interventions/export.pdf': {
      get: {
        summary: 'Interventions matching the filters, as a landscape A4 table',
        security: bearer,
        responses: fileResponse('application/pdf', 'The PDF'),
      },
    },
    '/api/siuss/flows/{id}/file': {
      get: {
        summary:
          "A SIUSS flow of the file route (PS_PSA_SINA201812.xsd), for upload to INPS's web application; downloading it sends it. An invalid flow never leaves (409)",
        security: bearer,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: fileResponse('application/xml', 'The flow, validated against the XSD'),
      },
    },
    '/waas/v1/flussi': {
      get: {
        summary:
          "WaaS SIUSS (INPS pulls): the flows after `since`, as WaaS-SIUSS_api-comuni.yaml v2.0.1 defines it; bearer: INPS's PDND voucher (PDND's signature, issuer, this e-service's audience, expiry, INPS's client and purpose), standing for the partner client holding siuss:pull",
        security: bearer,
        responses: { '200': { description: 'elenco_flussi' } },
      },
    },
    '/waas/v1/esiti': {
      post: {
        summary:
          "WaaS SIUSS: INPS's outcomes (204; 404 for an unknown flow; 200 problem+json when already recorded)",
        security: bearer,
        responses: { '204': { description: 'Notifica recepita' } },
      },
    },
    '/waas/v1/status': {
      get: {
        summary: 'WaaS SIUSS: the service status (problem+json)',
        responses: { '200': { description: 'Il servizio funziona correttamente' } },
      },
    },
  },
} as const;

export function openapiRoutes() {
  return new Hono().get('/openapi.json', (c) => c.json(OPENAPI));
}
