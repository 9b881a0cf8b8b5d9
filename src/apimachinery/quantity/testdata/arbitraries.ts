// Quantity text generators shared by the property tests and the kubectl oracle corpus: mostly what manifests
// carry, plus the corners of upstream's grammar (bare signs and points, long mantissas, odd exponents).
import fc from 'fast-check';

const suffixes = ['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e0', 'e3', 'E-3', 'e-9', 'e12', 'e+2', 'e-12', 'E21', 'e-1'];

/** Text inside upstream's grammar: sign, digits (up to 21), optional fraction, a suffix. */
export const quantityText = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    whole: fc.oneof(fc.stringMatching(/^[0-9]{0,4}$/), fc.stringMatching(/^[0-9]{0,21}$/)),
    fraction: fc.option(fc.oneof(fc.stringMatching(/^[0-9]{0,3}$/), fc.stringMatching(/^[0-9]{0,12}$/)), { nil: undefined }),
    suffix: fc.constantFrom(...suffixes),
  })
  .filter((p) => p.whole.length + (p.fraction?.length ?? 0) > 0)
  .map((p) => `${p.sign}${p.whole}${p.fraction === undefined ? '' : `.${p.fraction}`}${p.suffix}`);

/** Text that is mostly outside the grammar, for error texts. */
export const junkText = fc.stringMatching(/^[-+0-9.eEinumkKMGTPa ]{1,8}$/).filter((s) => !s.includes(',') && !s.includes('='));
