// Encodes our Swagger 2.0 document as a gnostic openapi_v2.Document protobuf message, the form kubectl 1.27 and
// 1.28 download from /openapi/v2. Only the parts our documents contain are encoded; field numbers are those of
// gnostic's OpenAPIv2.proto. Extension and enum values travel as YAML text, and JSON is valid YAML.
import protobuf from 'protobufjs';

type Json = Record<string, unknown>;
type Writer = protobuf.Writer;

const LEN = 2;
const VARINT = 0;

function str(w: Writer, field: number, value: unknown): void {
  if (typeof value === 'string' && value !== '') w.uint32((field << 3) | LEN).string(value);
}

function strs(w: Writer, field: number, values: unknown): void {
  if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') w.uint32((field << 3) | LEN).string(v);
}

function bool(w: Writer, field: number, value: unknown): void {
  if (value === true) w.uint32((field << 3) | VARINT).bool(true);
}

function msg(w: Writer, field: number, encode: (w: Writer) => void): void {
  w.uint32((field << 3) | LEN).fork();
  encode(w);
  w.ldelim();
}

/** openapi_v2.Any: the value as YAML text (field 2). */
function any(w: Writer, field: number, value: unknown): void {
  msg(w, field, (m) => str(m, 2, JSON.stringify(value)));
}

/** Repeated NamedAny for every `x-` key of `obj`. */
function vendorExtensions(w: Writer, field: number, obj: Json): void {
  for (const [k, v] of Object.entries(obj)) {
    if (!k.startsWith('x-')) continue;
    msg(w, field, (m) => {
      str(m, 1, k);
      any(m, 2, v);
    });
  }
}

function schema(w: Writer, s: Json): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 4, s.description);
  strs(w, 19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) any(w, 20, e);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    msg(w, 21, (m) => msg(m, 1, (x) => schema(x, s.additionalProperties as Json)));
  }
  if (typeof s.type === 'string') msg(w, 22, (m) => str(m, 1, s.type));
  if (s.items && typeof s.items === 'object') msg(w, 23, (m) => msg(m, 1, (x) => schema(x, s.items as Json)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) msg(w, 24, (m) => schema(m, a as Json));
  if (s.properties && typeof s.properties === 'object') {
    msg(w, 25, (m) => {
      for (const [name, p] of Object.entries(s.properties as Json)) {
        msg(m, 1, (n) => {
          str(n, 1, name);
          msg(n, 2, (x) => schema(x, p as Json));
        });
      }
    });
  }
  vendorExtensions(w, 31, s);
}

/** ParametersItem → Parameter → BodyParameter or NonBodyParameter (query or path sub-schema). */
function parameter(w: Writer, p: Json): void {
  msg(w, 1, (param) => {
    if (p.in === 'body') {
      msg(param, 1, (b) => {
        str(b, 2, p.name);
        str(b, 3, p.in);
        bool(b, 4, p.required);
        if (p.schema) msg(b, 5, (x) => schema(x, p.schema as Json));
      });
      return;
    }
    msg(param, 2, (nb) => {
      // QueryParameterSubSchema (3) and PathParameterSubSchema (4) share the first fields; they differ after name.
      const path = p.in === 'path';
      msg(nb, path ? 4 : 3, (q) => {
        bool(q, 1, p.required);
        str(q, 2, p.in);
        str(q, 3, p.description);
        str(q, 4, p.name);
        str(q, path ? 5 : 6, p.type);
        bool(q, path ? 19 : 20, p.uniqueItems);
      });
    });
  });
}

function operation(w: Writer, op: Json): void {
  strs(w, 1, op.tags);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) msg(w, 8, (m) => parameter(m, p as Json));
  if (op.responses && typeof op.responses === 'object') {
    msg(w, 9, (rs) => {
      for (const [code, r] of Object.entries(op.responses as Json)) {
        const response = r as Json;
        msg(rs, 1, (named) => {
          str(named, 1, code);
          msg(named, 2, (value) =>
            msg(value, 1, (resp) => {
              str(resp, 1, response.description);
              if (response.schema) msg(resp, 2, (item) => msg(item, 1, (x) => schema(x, response.schema as Json)));
            }),
          );
        });
      }
    });
  }
  strs(w, 10, op.schemes);
  vendorExtensions(w, 13, op);
}

const pathItemFields: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function pathItem(w: Writer, item: Json): void {
  for (const [method, field] of Object.entries(pathItemFields)) {
    if (item[method]) msg(w, field, (m) => operation(m, item[method] as Json));
  }
  if (Array.isArray(item.parameters)) for (const p of item.parameters) msg(w, 9, (m) => parameter(m, p as Json));
}

/** The gnostic openapi_v2.Document encoding of a Swagger 2.0 document built by swaggerDocument(). */
export function encodeSwaggerProtobuf(doc: Json): Uint8Array {
  const w = protobuf.Writer.create();
  str(w, 1, doc.swagger);
  const info = doc.info as Json | undefined;
  if (info) {
    msg(w, 2, (m) => {
      str(m, 1, info.title);
      str(m, 2, info.version);
    });
  }
  msg(w, 8, (paths) => {
    for (const [name, item] of Object.entries((doc.paths ?? {}) as Json)) {
      msg(paths, 2, (named) => {
        str(named, 1, name);
        msg(named, 2, (m) => pathItem(m, item as Json));
      });
    }
  });
  msg(w, 9, (defs) => {
    for (const [name, s] of Object.entries((doc.definitions ?? {}) as Json)) {
      msg(defs, 1, (named) => {
        str(named, 1, name);
        msg(named, 2, (m) => schema(m, s as Json));
      });
    }
  });
  for (const requirement of (doc.security ?? []) as Json[]) {
    msg(w, 12, (req) => {
      for (const [name, scopes] of Object.entries(requirement)) {
        msg(req, 1, (named) => {
          str(named, 1, name);
          msg(named, 2, (arr) => strs(arr, 1, scopes));
        });
      }
    });
  }
  const securityDefinitions = doc.securityDefinitions as Json | undefined;
  if (securityDefinitions) {
    msg(w, 13, (defs) => {
      for (const [name, d] of Object.entries(securityDefinitions)) {
        const def = d as Json;
        if (def.type !== 'apiKey') continue;
        msg(defs, 1, (named) => {
          str(named, 1, name);
          msg(named, 2, (item) =>
            msg(item, 2, (key) => {
              str(key, 1, def.type);
              str(key, 2, def.name);
              str(key, 3, def.in);
              str(key, 4, def.description);
            }),
          );
        });
      }
    });
  }
  return w.finish();
}
