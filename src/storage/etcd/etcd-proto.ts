// The subset of etcd's v3 API (packages etcdserverpb and mvccpb) this client speaks, as a protobufjs JSON
// descriptor: only the messages and fields k8ts uses, with etcd's field numbers, names as in etcd.
import protobuf from 'protobufjs';

const int64 = (id: number) => ({ type: 'int64', id });
const bytes = (id: number) => ({ type: 'bytes', id });
const bool = (id: number) => ({ type: 'bool', id });
const msg = (type: string, id: number) => ({ type, id });
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

const descriptor = {
  nested: {
    mvccpb: {
      nested: {
        KeyValue: {
          fields: { key: bytes(1), create_revision: int64(2), mod_revision: int64(3), version: int64(4), value: bytes(5), lease: int64(6) },
        },
        Event: {
          fields: { type: msg('EventType', 1), kv: msg('KeyValue', 2), prev_kv: msg('KeyValue', 3) },
          nested: { EventType: { values: { PUT: 0, DELETE: 1 } } },
        },
      },
    },
    etcdserverpb: {
      nested: {
        ResponseHeader: { fields: { cluster_id: { type: 'uint64', id: 1 }, member_id: { type: 'uint64', id: 2 }, revision: int64(3) } },
        RangeRequest: {
          fields: { key: bytes(1), range_end: bytes(2), limit: int64(3), revision: int64(4), keys_only: bool(8), count_only: bool(9) },
        },
        RangeResponse: {
          fields: { header: msg('ResponseHeader', 1), kvs: repeated('mvccpb.KeyValue', 2), more: bool(3), count: int64(4) },
        },
        PutRequest: { fields: { key: bytes(1), value: bytes(2), prev_kv: bool(4) } },
        PutResponse: { fields: { header: msg('ResponseHeader', 1), prev_kv: msg('mvccpb.KeyValue', 2) } },
        DeleteRangeRequest: { fields: { key: bytes(1), range_end: bytes(2), prev_kv: bool(3) } },
        DeleteRangeResponse: {
          fields: { header: msg('ResponseHeader', 1), deleted: int64(2), prev_kvs: repeated('mvccpb.KeyValue', 3) },
        },
        RequestOp: {
          oneofs: { request: { oneof: ['request_range', 'request_put', 'request_delete_range'] } },
          fields: { request_range: msg('RangeRequest', 1), request_put: msg('PutRequest', 2), request_delete_range: msg('DeleteRangeRequest', 3) },
        },
        ResponseOp: {
          oneofs: { response: { oneof: ['response_range', 'response_put', 'response_delete_range'] } },
          fields: {
            response_range: msg('RangeResponse', 1),
            response_put: msg('PutResponse', 2),
            response_delete_range: msg('DeleteRangeResponse', 3),
          },
        },
        Compare: {
          oneofs: { target_union: { oneof: ['version', 'create_revision', 'mod_revision', 'value'] } },
          fields: {
            result: msg('CompareResult', 1),
            target: msg('CompareTarget', 2),
            key: bytes(3),
            version: int64(4),
            create_revision: int64(5),
            mod_revision: int64(6),
            value: bytes(7),
          },
          nested: {
            CompareResult: { values: { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } },
            CompareTarget: { values: { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3 } },
          },
        },
        TxnRequest: { fields: { compare: repeated('Compare', 1), success: repeated('RequestOp', 2), failure: repeated('RequestOp', 3) } },
        TxnResponse: { fields: { header: msg('ResponseHeader', 1), succeeded: bool(2), responses: repeated('ResponseOp', 3) } },
        CompactionRequest: { fields: { revision: int64(1), physical: bool(2) } },
        CompactionResponse: { fields: { header: msg('ResponseHeader', 1) } },
        WatchRequest: {
          oneofs: { request_union: { oneof: ['create_request', 'cancel_request'] } },
          fields: { create_request: msg('WatchCreateRequest', 1), cancel_request: msg('WatchCancelRequest', 2) },
        },
        WatchCreateRequest: {
          fields: { key: bytes(1), range_end: bytes(2), start_revision: int64(3), progress_notify: bool(4), prev_kv: bool(6), watch_id: int64(7) },
        },
        WatchCancelRequest: { fields: { watch_id: int64(1) } },
        WatchResponse: {
          fields: {
            header: msg('ResponseHeader', 1),
            watch_id: int64(2),
            created: bool(3),
            canceled: bool(4),
            compact_revision: int64(5),
            cancel_reason: { type: 'string', id: 6 },
            events: repeated('mvccpb.Event', 11),
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

/** mvccpb.KeyValue after decoding (int64 as number, bytes as Buffer). */
export interface PbKeyValue {
  key: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  value: Buffer;
}

export interface PbResponseHeader {
  revision: number;
}

export interface PbRangeResponse {
  header: PbResponseHeader;
  kvs: PbKeyValue[];
  more: boolean;
  count: number;
}

export interface PbTxnResponse {
  header: PbResponseHeader;
  succeeded: boolean;
  responses: {
    response_range?: PbRangeResponse;
    response_put?: { header: PbResponseHeader; prev_kv?: PbKeyValue };
    response_delete_range?: { header: PbResponseHeader; deleted: number; prev_kvs: PbKeyValue[] };
  }[];
}

export interface PbEvent {
  /** 0 = PUT, 1 = DELETE */
  type: number;
  kv: PbKeyValue;
  prev_kv?: PbKeyValue;
}

export interface PbWatchResponse {
  header: PbResponseHeader;
  watch_id: number;
  created: boolean;
  canceled: boolean;
  compact_revision: number;
  cancel_reason: string;
  events: PbEvent[];
}

/** Encoder and decoder of one message type, in the shape @grpc/grpc-js wants. */
export interface Codec<Req, Res> {
  serialize(req: Req): Buffer;
  deserialize(buf: Buffer): Res;
}

function codec<Req extends object, Res>(reqType: string, resType: string): Codec<Req, Res> {
  const req = root.lookupType(`etcdserverpb.${reqType}`);
  const res = root.lookupType(`etcdserverpb.${resType}`);
  return {
    serialize: (r) => Buffer.from(req.encode(req.fromObject(r)).finish()),
    // arrays and defaults filled in, int64 as JS numbers (revisions stay far below 2^53)
    deserialize: (b) => res.toObject(res.decode(b), { longs: Number, defaults: true, arrays: true }) as Res,
  };
}

/** The etcd RPCs k8ts calls: full method path and codec. */
export const rpc = {
  range: { path: '/etcdserverpb.KV/Range', ...codec<object, PbRangeResponse>('RangeRequest', 'RangeResponse') },
  txn: { path: '/etcdserverpb.KV/Txn', ...codec<object, PbTxnResponse>('TxnRequest', 'TxnResponse') },
  compact: { path: '/etcdserverpb.KV/Compact', ...codec<object, { header: PbResponseHeader }>('CompactionRequest', 'CompactionResponse') },
  watch: { path: '/etcdserverpb.Watch/Watch', ...codec<object, PbWatchResponse>('WatchRequest', 'WatchResponse') },
};

/** Compare enums (etcdserverpb.Compare). */
export const CompareResult = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
export const CompareTarget = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3 } as const;
