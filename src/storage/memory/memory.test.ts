// The store conformance suite and model check against the in-memory backend.
import { describeStoreConformance } from '../testing/conformance.js';
import { openMemoryStore } from './memory-store.js';

describeStoreConformance('memory', { open: async () => openMemoryStore() });
