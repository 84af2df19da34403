/**
 * `tokenops mcp`: a Model Context Protocol server over stdio (@modelcontextprotocol/sdk, low-level
 * Server, so tools are described by our own JSON Schemas rather than re-declared in zod).
 *
 *   tools      MCP_TOOLS (tools.ts): the whole flow, inputs checked against their schema first
 *   resources  tokenops://manifest, tokenops://schemas/NAME, tokenops://runs/RUN/review
 *
 * Every tool result is a versioned document: `structuredContent` carries it (with `$schema`), the
 * text content the same JSON for clients without structured output. Errors come back as tool errors
 * (`isError`) whose text is the error document, so an agent sees the code and the message.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { Ajv, type ValidateFunction } from 'ajv';
import { TokenOpsError, isTokenOpsError } from '../../../shared/errors';
import { SCHEMAS, SCHEMA_NAMES, isSchemaName } from '../../../shared/schemas';
import { DOCUMENT_NAMES, asDocument, documentSchema, isDocumentName } from '../../../shared/schemas/documents';
import type { TokenOps } from '../tokenops';
import type { AllowedPaths } from './allowed-paths';
import { MCP_TOOLS } from './tools';

const JSON_TYPE = 'application/json';

/** An output schema as MCP clients compile it: one validator per tool, so no shared `$id` to clash. */
function outputSchemaOf(doc: (typeof MCP_TOOLS)[number]['doc']): Record<string, unknown> {
  const { $id: _id, $schema: _dialect, ...rest } = documentSchema(doc);
  return rest;
}

export function createMcpServer(t: TokenOps, paths: AllowedPaths, version: string): Server {
  const server = new Server(
    { name: 'tokenops', version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'TokenOps gathers the evidence of a paid agent run, says what is missing or inconsistent, and exports a signed result bundle or an exception ticket. Flow: run_create, evidence_add / evidence_paste, evaluate, package (or replay after an exception), verify.',
    },
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  const inputCheck = new Map<string, ValidateFunction>(
    MCP_TOOLS.map((tool) => [tool.name, ajv.compile(tool.inputSchema)]),
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: MCP_TOOLS.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema as { type: 'object' },
      outputSchema: outputSchemaOf(tool.doc) as { type: 'object' },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const tool = MCP_TOOLS.find((x) => x.name === req.params.name);
    try {
      if (!tool) throw new TokenOpsError('usage', `No tool "${req.params.name}"; tools/list names them.`);
      const input = (req.params.arguments ?? {}) as Record<string, unknown>;
      const check = inputCheck.get(tool.name)!;
      if (!check(input)) {
        const problems = (check.errors ?? []).map((e) => `${e.instancePath || '(input)'} ${e.message}`).join('; ');
        throw new TokenOpsError('input_invalid', `Invalid input for ${tool.name}: ${problems}`);
      }
      const doc = asDocument(tool.doc, await tool.call(t, input, paths));
      return { content: [{ type: 'text', text: JSON.stringify(doc) }], structuredContent: doc };
    } catch (e) {
      const err = isTokenOpsError(e)
        ? e
        : new TokenOpsError('input_invalid', `Unexpected error: ${(e as Error)?.message ?? String(e)}`);
      const doc = asDocument('error', {
        error: { code: err.code, message: err.message, details: err.details ?? null },
      });
      return { isError: true, content: [{ type: 'text', text: JSON.stringify(doc) }] };
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: [
      { uri: 'tokenops://manifest', name: 'manifest', description: 'The TokenOps tool manifest.', mimeType: JSON_TYPE },
      ...[...SCHEMA_NAMES, ...DOCUMENT_NAMES].map((name) => ({
        uri: `tokenops://schemas/${name}`,
        name: `schema ${name}`,
        mimeType: JSON_TYPE,
      })),
    ],
  }));

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      {
        uriTemplate: 'tokenops://runs/{run_id}/review',
        name: 'run review',
        description: "A run's current tokenops_review (its evaluation).",
        mimeType: JSON_TYPE,
      },
    ],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const uri = req.params.uri;
    const json = (value: unknown) => ({
      contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(value, null, 2) }],
    });
    if (uri === 'tokenops://manifest') return json(asDocument('tool_manifest', await t.handlers['manifest.get']({})));
    const schema = /^tokenops:\/\/schemas\/([a-z_]+)$/.exec(uri)?.[1];
    if (schema && isDocumentName(schema)) return json(documentSchema(schema));
    if (schema && isSchemaName(schema)) return json(SCHEMAS[schema]);
    const run = /^tokenops:\/\/runs\/([A-Za-z0-9_-]{1,80})\/review$/.exec(uri)?.[1];
    if (run) return json(asDocument('tokenops_review', (await t.handlers['runs.get']({ run_id: run })).evaluation));
    throw new TokenOpsError('not_found', `No resource ${uri}; resources/list and resources/templates/list name them.`);
  });

  return server;
}

/** Serves on stdin/stdout until the client closes the stream. */
export async function serveStdio(server: Server): Promise<void> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.close();
}
