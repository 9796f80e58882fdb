// What an operation costs, and the limit. This replaces armor's costLimit, which has no notion of list sizes (each
// object 2, each scalar 1, ×1.5 per level): it scored a 200-calendar admin screen 60,505, far over its limit, while
// a list of 10,000 costs it no more than a list of 1. Here a field costs 1 and a list multiplies the cost of its
// selection by how many items it may return: a connection by `first` / `last` as asked (not as clamped), `nodes` by
// its ids, other lists by the expected size their field declares (`listSizes`), else `defaultListSize`. So cost is
// roughly the number of values in the answer. Fields declare their cost with @pothos/plugin-complexity's `complexity`
// option; the sum is computed here, not by that plugin, because the plugin passes arguments through every plugin's
// argument mappers first, and a mapper refusing one argument (a bad ID, a NUL) would switch the check off for the
// whole operation. Checked at validation, with the operation's variables. README "Limits and errors".
import type { FieldComplexity, FieldComplexityValue } from '@pothos/plugin-complexity'
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql'
import type { Plugin, YogaInitialContext } from 'graphql-yoga'

const costLimits = {
  maxCost: 500_000,
  /** Items of a connection asked without `first` or `last` (the connections' default page). */
  defaultPageSize: 20,
  /** Items of any other list that declares no size. */
  defaultListSize: 10,
}

/** Expected (not maximum) sizes of lists whose size is known in practice. */
export const listSizes = {
  calendarMembers: 10,
  /** A week of split shifts. */
  workingHoursRules: 14,
  dateOverrides: 30,
  integrationCalendars: 20,
  appointmentsPerDay: 20,
  /** The most `CrmCalendar.appointments` returns. */
  appointmentsMax: 2000,
}

/** The cost of a list field returning about `items` items. */
export const listOf = (items: number): FieldComplexityValue => ({ field: 1, multiplier: items })

/** `CrmCalendar.appointments(from, to)`: by the days of the range, up to what the field returns. */
export function appointmentsCost({ from, to }: { from: Date; to: Date }): FieldComplexityValue {
  const days = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 86_400_000))
  return listOf(Math.min(listSizes.appointmentsMax, days * listSizes.appointmentsPerDay))
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type)
}

/** The cost of a field that declares none (builder option `complexity.fieldComplexity`). */
export function defaultFieldCost(
  args: Record<string, unknown>,
  _context: unknown,
  field: { args: readonly { name: string }[]; type: GraphQLOutputType },
): FieldComplexityValue {
  if (field.args.some((arg) => arg.name === 'first')) {
    const asked = typeof args.first === 'number' ? args.first : args.last
    return listOf(typeof asked === 'number' ? asked : costLimits.defaultPageSize)
  }
  if (Array.isArray(args.ids)) return listOf(args.ids.length)
  if (!isList(field.type)) return 1
  // A connection's edges: the connection field has multiplied already. (A plain number on a list field would get the
  // plugin's own default multiplier.)
  return listOf(getNamedType(field.type).name.endsWith('Edge') ? 1 : costLimits.defaultListSize)
}

function tooCostly(cost: number): GraphQLError {
  return new GraphQLError(`Query is too costly: ${cost} (limit ${costLimits.maxCost}). Ask for fewer items.`, {
    extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost: costLimits.maxCost },
  })
}

interface Walk {
  schema: GraphQLSchema
  fragments: Map<string, FragmentDefinitionNode>
  variables: Record<string, unknown>
  active: Set<string>
  costs: Map<SelectionSetNode, Map<string, number>>
}

/** The field's declared cost (`complexity`, set by @pothos/plugin-complexity) for these raw arguments. */
function declaredCost(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>) {
  const declared = field.extensions.complexity as FieldComplexity<unknown, Record<string, unknown>> | undefined
  const value = typeof declared === 'function' ? declared(args, {}, field) : declared
  const listMultiplier = isList(field.type) ? costLimits.defaultListSize : 1
  if (typeof value === 'number') return { cost: value, multiplier: listMultiplier }
  return { cost: value?.field ?? 1, multiplier: value?.multiplier ?? listMultiplier }
}

function fieldCost(walk: Walk, node: FieldNode, parent: GraphQLNamedType): number {
  if (!isObjectType(parent) && !isInterfaceType(parent)) return 0
  const field = parent.getFields()[node.name.value]
  if (!field) return 0
  const { cost, multiplier } = declaredCost(field, getArgumentValues(field, node, walk.variables))
  const children = node.selectionSet ? selectionCost(walk, node.selectionSet, getNamedType(field.type)) : 0
  return cost + Math.max(multiplier, 0) * children
}

function fragmentCost(walk: Walk, name: string, type: GraphQLNamedType): number {
  const fragment = walk.fragments.get(name)
  if (!fragment || walk.active.has(name)) return 0
  walk.active.add(name)
  const cost = selectionCost(walk, fragment.selectionSet, typeFromAST(walk.schema, fragment.typeCondition) ?? type)
  walk.active.delete(name)
  return cost
}

function selectionCost(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLNamedType): number {
  const known = walk.costs.get(selectionSet)?.get(type.name)
  if (known !== undefined) return known
  let total = 0
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) total += fieldCost(walk, selection, type)
    else if (selection.kind === Kind.FRAGMENT_SPREAD) total += fragmentCost(walk, selection.name.value, type)
    else {
      const condition = selection.typeCondition ? typeFromAST(walk.schema, selection.typeCondition) : undefined
      total += selectionCost(walk, selection.selectionSet, condition ?? type)
    }
  }
  walk.costs.set(selectionSet, (walk.costs.get(selectionSet) ?? new Map<string, number>()).set(type.name, total))
  return total
}

/**
 * The cost of the operation that will run, or null when it cannot run anyway (no such operation, variables that do
 * not coerce): execution refuses those with its own message. Arguments are read as sent (not through the plugins'
 * argument mappers, which may refuse them), so a bad argument cannot switch the cost check off.
 */
function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  inputs: Record<string, unknown>,
): number | null {
  const operation = getOperationAST(document, operationName)
  const root = operation && schema.getRootType(operation.operation)
  if (!operation || !root) return null
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], inputs)
  if (variables.errors) return null
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition)
  }
  const walk: Walk = { schema, fragments, variables: variables.coerced, active: new Set(), costs: new Map() }
  return selectionCost(walk, operation.selectionSet, root)
}

/** Refuses an operation over `costLimits.maxCost` as a validation error (QUERY_TOO_COSTLY); costs valid ones only. */
export function costLimitPlugin(): Plugin<YogaInitialContext> {
  return {
    onValidate: ({ params, context }) => {
      return ({ valid, result, setResult }) => {
        if (!valid) return
        const { variables, operationName } = context.params ?? {}
        const cost = operationCost(params.schema, params.documentAST, operationName, variables ?? {})
        if (cost !== null && cost > costLimits.maxCost) setResult([...result, tooCostly(cost)])
      }
    },
  }
}
