// CertificateSubjectRestriction (upstream plugin/pkg/admission/certificates/subjectrestriction): nobody may
// ask the kube-apiserver-client signer for a certificate in the system:masters group.

import type * as certificatesv1 from '../../../api/generated/certificates/v1.js';
import { parseCSR } from '../../../pki/csr.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';

export const certificateSubjectRestrictionPluginName = 'CertificateSubjectRestriction';
const kubeAPIServerClientSigner = 'kubernetes.io/kube-apiserver-client';

export function newCertificateSubjectRestriction(): AdmissionPlugin {
  return {
    name: certificateSubjectRestrictionPluginName,
    handles: (op) => op === 'CREATE',
    async validate(attrs) {
      if (attrs.resource.group !== 'certificates.k8s.io' || attrs.resource.resource !== 'certificatesigningrequests' || attrs.subresource !== '') return;
      const csr = attrs.object as certificatesv1.CertificateSigningRequest | undefined;
      if (csr?.spec?.signerName !== kubeAPIServerClientSigner) return;
      let organization: string[];
      try {
        organization = (await parseCSR(Buffer.from(csr.spec.request ?? '', 'base64'))).organization;
      } catch (err) {
        throw newAdmissionForbidden(attrs, `failed to parse CSR: ${(err as Error).message}`);
      }
      if (organization.includes('system:masters')) {
        throw newAdmissionForbidden(attrs, `use of ${kubeAPIServerClientSigner} signer with system:masters group is not allowed`);
      }
    },
  };
}
