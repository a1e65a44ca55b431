import {
  type ColumnDefinitionNode,
  DataTypeNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely'

/**
 * Translates the schema builder's SQLite column types to their Postgres equivalents, so the
 * frozen migrations (written for SQLite, `Kysely<any>` schema builder) create the same
 * tables on Postgres without being edited:
 *
 * - `integer` → `bigint`: SQLite integers are 64-bit, and we store millisecond times in them
 *   (2^31 ms is 25 days), so Postgres's 32-bit `integer` would overflow.
 * - `blob` → `bytea`.
 * - a single `integer primary key` column (with or without autoIncrement) → `bigserial
 *   primary key`: in SQLite such a column is the rowid and numbers inserted rows itself;
 *   `bigserial` does the same on Postgres (explicit ids are still accepted).
 *
 * Only DDL nodes carry these; data types in expressions (CAST) get the same mapping, which
 * is what SQLite's integer means anyway. Raw SQL in migrations is not touched: those bodies
 * are dialect-aware themselves (`dialectOf`).
 *
 * And every string value a query sends loses its NUL characters (U+0000): Postgres text
 * cannot hold them (`invalid byte sequence for encoding "UTF8": 0x00`), while SQLite stores
 * them. A board document may carry one in a title written by a raw Yjs client; without this,
 * each derivation write of that board (projection, search, activity) would fail, forever.
 */
export class PostgresDdlPlugin implements KyselyPlugin {
  readonly #transformer = new PostgresDdlTransformer()

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node)
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

const withoutNul = (v: unknown): unknown =>
  typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '') : v

class PostgresDdlTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode, queryId?: QueryId): ValueNode {
    const out = super.transformValue(node, queryId)
    const value = withoutNul(out.value)
    return value === out.value ? out : { ...out, value }
  }

  protected override transformPrimitiveValueList(
    node: PrimitiveValueListNode,
    queryId?: QueryId,
  ): PrimitiveValueListNode {
    const out = super.transformPrimitiveValueList(node, queryId)
    return out.values.some((v) => withoutNul(v) !== v)
      ? { ...out, values: out.values.map(withoutNul) }
      : out
  }

  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    if (node.dataType === 'integer') return DataTypeNode.create('bigint')
    if (node.dataType === 'blob') return DataTypeNode.create('bytea')
    return node
  }

  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const out = super.transformColumnDefinition(node)
    const isInteger =
      DataTypeNode.is(node.dataType) && (node.dataType as DataTypeNode).dataType === 'integer'
    if (isInteger && node.primaryKey) {
      return { ...out, dataType: DataTypeNode.create('bigserial'), autoIncrement: false }
    }
    return out
  }
}
