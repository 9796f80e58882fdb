// A Pothos plugin that applies ./inputText.ts to every String, ID and EmailAddress input: arguments and input object
// fields at any depth, list items too. Being schema-wide, a new input is checked without opting in; a field may set
// its own `maxLength`. Its argument mapper runs before the other plugins' (relay, validation), so it sees global IDs
// as sent. Every bad field is reported at once, as one InvalidInputError with paths from the
// argument (`input.contact.name`): the ValidationError member of mutation unions, INVALID_INPUT elsewhere.
import SchemaBuilder, {
  BasePlugin,
  PothosValidationError,
  mapInputFields,
  resolveInputTypeConfig,
  type FieldRequiredness,
  type InputFieldsMapping,
  type InputType,
  type InputTypeFieldsMapping,
  type PothosInputFieldConfig,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core'
import { decodeGlobalID } from '@pothos/plugin-relay'
import { InvalidInputError, type InputIssue } from '../errors.ts'
import { emailAddressIssue, textIssue, textLimits } from './inputText.ts'

// Pothos plugins extend its options by merging into this global namespace; a merged interface must repeat the type
// parameters of the original, used or not.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      inputText: InputTextPlugin<Types>
    }
    interface InputFieldOptions<
      Types extends SchemaTypes = SchemaTypes,
      Type extends InputType<Types> | [InputType<Types>] = InputType<Types> | [InputType<Types>],
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      Req extends FieldRequiredness<Type> = FieldRequiredness<Type>,
    > {
      /** At most this many characters (String inputs; default `textLimits.default`). */
      maxLength?: number
    }
  }
}

interface TextRule {
  email: boolean
  /** A connection cursor (`after`, `before`): base64 of ids that reach the database, so its content is checked too. */
  cursor: boolean
  maxLength: number
}

const textScalars = new Set(['String', 'ID', 'EmailAddress'])

function issueOf(value: unknown, rule: TextRule): string | null {
  if (typeof value !== 'string') return null
  if (rule.email) return emailAddressIssue(value)
  if (rule.cursor && textIssue(Buffer.from(value, 'base64').toString('utf8'), Infinity) !== null)
    return 'Invalid cursor'
  return textIssue(value, rule.maxLength)
}

/** Calls `visit` with each item of a value nested `depth` lists deep (the value itself at depth 0). */
function forEachItem(value: unknown, depth: number, path: string[], visit: (item: unknown, path: string[]) => void) {
  if (value === null || value === undefined) return
  if (depth === 0 || !Array.isArray(value)) return visit(value, path)
  value.forEach((item, index) => forEachItem(item, depth - 1, [...path, String(index)], visit))
}

function collectIssues(
  values: Record<string, unknown>,
  mappings: InputFieldsMapping<SchemaTypes, TextRule>,
  path: string[],
  issues: InputIssue[],
): void {
  for (const [name, mapping] of mappings) {
    forEachItem(values[name], mapping.listDepth, [...path, name], (item, itemPath) => {
      if (mapping.kind === 'InputObject') {
        if (mapping.fields.map && typeof item === 'object' && item !== null) {
          collectIssues(item as Record<string, unknown>, mapping.fields.map, itemPath, issues)
        }
        return
      }
      const issue = issueOf(item, mapping.value)
      if (issue) issues.push({ path: itemPath, message: issue })
    })
  }
}

class InputTextPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  private readonly mappingCache = new Map<string, InputTypeFieldsMapping<Types, TextRule>>()

  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const mappings = mapInputFields(
      fieldConfig.args,
      this.buildCache,
      (input) => this.ruleFor(input),
      this.mappingCache,
    )
    if (!mappings) return fieldConfig
    const checkText = (args: Record<string, unknown>) => {
      const issues: InputIssue[] = []
      collectIssues(args, mappings as InputFieldsMapping<SchemaTypes, TextRule>, [], issues)
      if (issues.length > 0) throw new InvalidInputError(issues)
      return args
    }
    return { ...fieldConfig, argMappers: [checkText, ...fieldConfig.argMappers] }
  }

  private ruleFor(input: PothosInputFieldConfig<Types>): TextRule | null {
    const type = resolveInputTypeConfig(input.type, this.buildCache)
    if (type.kind !== 'Scalar' || !textScalars.has(type.name)) return null
    return {
      email: type.name === 'EmailAddress',
      cursor: input.kind === 'Arg' && type.name === 'String' && (input.name === 'after' || input.name === 'before'),
      maxLength: input.pothosOptions.maxLength ?? textLimits.default,
    }
  }
}

/**
 * Relay's decoder with the text rules applied to what is inside the global ID: that id reaches the database, where a
 * NUL would be an internal error. Refused like any malformed global ID (INVALID_INPUT).
 */
export function decodeCheckedGlobalID(globalID: string): { typename: string; id: string } {
  const decoded = decodeGlobalID(globalID)
  if (textIssue(decoded.typename) !== null || textIssue(decoded.id) !== null) {
    throw new PothosValidationError(`Invalid global ID: ${globalID}`)
  }
  return decoded
}

export const inputTextPluginName = 'inputText'

SchemaBuilder.registerPlugin(inputTextPluginName, InputTextPlugin)
