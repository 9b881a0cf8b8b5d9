// The CRD schema's "either" types: apiextensions v1 fields that hold a JSONSchemaProps or something else, each
// decoded by its own UnmarshalJSON (an object as a JSONSchemaProps). The schema tables list them as untyped, so
// the decoding walks (type errors, null elements) treat them here.

const apiextensionsV1 = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** The definition an "either" type holds when given an object. */
export const jsonSchemaPropsDefinition = `${apiextensionsV1}.JSONSchemaProps`;

/** Each either type by what it takes besides an object: a list of schemas, a boolean, or a list of strings. */
export const eitherSchemaKinds: Readonly<Record<string, 'array' | 'bool' | 'strings'>> = {
  [`${apiextensionsV1}.JSONSchemaPropsOrArray`]: 'array',
  [`${apiextensionsV1}.JSONSchemaPropsOrBool`]: 'bool',
  [`${apiextensionsV1}.JSONSchemaPropsOrStringArray`]: 'strings',
};
