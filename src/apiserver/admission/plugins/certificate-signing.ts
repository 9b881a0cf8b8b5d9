// CertificateSigning (upstream plugin/pkg/admission/certificates/signing): setting or changing the issued
// certificate of a CertificateSigningRequest (its /status) takes the "sign" verb on its signer.

import type * as certificatesv1 from '../../../api/generated/certificates/v1.js';
import type { Authorizer } from '../../authorization/interface.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';
import { isAuthorizedForSignerName } from './certificate-signers.js';

export const certificateSigningPluginName = 'CertificateSigning';

export function newCertificateSigning(opts: { authorizer: Authorizer }): AdmissionPlugin {
  return {
    name: certificateSigningPluginName,
    handles: (op) => op === 'UPDATE',
    async validate(attrs) {
      if (attrs.resource.group !== 'certificates.k8s.io' || attrs.resource.resource !== 'certificatesigningrequests' || attrs.subresource !== 'status') return;
      const next = attrs.object as certificatesv1.CertificateSigningRequest | undefined;
      const old = attrs.oldObject as certificatesv1.CertificateSigningRequest | undefined;
      if ((next?.status?.certificate ?? '') === (old?.status?.certificate ?? '')) return;
      const signerName = old?.spec?.signerName ?? '';
      if (!(await isAuthorizedForSignerName(opts.authorizer, attrs.user, 'sign', signerName))) {
        throw newAdmissionForbidden(attrs, `user not permitted to sign requests with signerName "${signerName}"`);
      }
    },
  };
}
