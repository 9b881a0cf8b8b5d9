// AlwaysAdmit and AlwaysDeny (upstream plugin/pkg/admission/admit and deny, both deprecated): admit every
// write, or refuse every one. Useful only to see admission work.

import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';

export const alwaysAdmitPluginName = 'AlwaysAdmit';
export const alwaysDenyPluginName = 'AlwaysDeny';

export function newAlwaysAdmit(): AdmissionPlugin {
  return { name: alwaysAdmitPluginName, handles: () => true, admit: async () => undefined, validate: async () => undefined };
}

export function newAlwaysDeny(): AdmissionPlugin {
  return {
    name: alwaysDenyPluginName,
    handles: () => true,
    async admit(attrs) {
      throw newAdmissionForbidden(attrs, 'admission control is denying all modifications');
    },
  };
}
