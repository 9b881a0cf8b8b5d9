// Test support: an EventRecorder that keeps events in memory as `Type Reason Message` lines.
import type { KubeObject } from '../../client/rest/interface.js';
import type { EventRecorder, EventType } from '../controller-context.js';

export class RecordingRecorder implements EventRecorder {
  readonly events: string[] = [];

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    void obj;
    this.events.push(`${type} ${reason} ${message}`);
  }
}
