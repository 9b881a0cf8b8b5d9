// CertificateApproval (upstream plugin/pkg/admission/certificates/approval): approving or denying a
// CertificateSigningRequest (its /approval subresource) takes the "approve" verb on its signer.

import type * as certificatesv1 from '../../../api/generated/certificates/v1.js';
import type { Authorizer } from '../../authorization/interface.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';
import { isAuthorizedForSignerName } from './certificate-signers.js';

export const certificateApprovalPluginName = 'CertificateApproval';

export function newCertificateApproval(opts: { authorizer: Authorizer }): AdmissionPlugin {
  return {
    name: certificateApprovalPluginName,
    handles: (op) => op === 'UPDATE',
    async validate(attrs) {
      if (attrs.resource.group !== 'certificates.k8s.io' || attrs.resource.resource !== 'certificatesigningrequests' || attrs.subresource !== 'approval') return;
      const signerName = (attrs.object as certificatesv1.CertificateSigningRequest | undefined)?.spec?.signerName ?? '';
      if (!(await isAuthorizedForSignerName(opts.authorizer, attrs.user, 'approve', signerName))) {
        throw newAdmissionForbidden(attrs, `user not permitted to approve requests with signerName "${signerName}"`);
      }
    },
  };
}
