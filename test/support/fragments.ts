// Fragments shared by the test documents. GraphQL Code Generator resolves them by name, so a document spreads
// `...ErrorFields` without importing this file.
import { graphql } from '../graphql/index.ts'

/** @public Spread by name in documents (`...ErrorFields`). */
export const ErrorFields = graphql(`
  fragment ErrorFields on Error {
    message
    code
  }
`)
