/**
 * @taskflow/board — the Yjs document model of a project's board, shared by the app and
 * the server. Schema and merge rules: docs/document-schema.md.
 */
export {
  ATTACHMENTS_ROOT,
  type AttachmentInput,
  type AttachmentRef,
  type AttachmentState,
  addAttachment,
  listAttachments,
  listBoardAttachments,
  MAX_ATTACHMENTS_PER_TARGET,
  markAttachmentStored,
  referencedAttachmentHashes,
  removeAttachment,
} from './attachments.js'
export {
  DEFAULT_COLUMNS,
  initBoard,
  type OpenResult,
  openBoard,
  readMeta,
  updateBoardMeta,
} from './board.js'
export {
  addChecklistItem,
  type ChecklistItem,
  deleteChecklistItem,
  moveChecklistItem,
  readChecklist,
  updateChecklistItem,
} from './checklist.js'
export {
  type CreateColumnInput,
  createColumn,
  deleteColumn,
  moveColumn,
  renameColumn,
  type UpdateColumnInput,
  updateColumn,
} from './columns.js'
export {
  addComment,
  type CommentView,
  deleteComment,
  editComment,
  listComments,
  MAX_COMMENT,
  MENTION_PATTERN,
  mentionToken,
  parseMentions,
  toggleReaction,
} from './comments.js'
export { newId } from './ids.js'
export {
  type BodyNode,
  type ImportedComment,
  type ImportedTask,
  importTasks,
  readBodyNodes,
} from './import.js'
export { createLabel, deleteLabel, type Label, listLabels, updateLabel } from './labels.js'
export {
  bodyNodesToMarkdown,
  bodyToMarkdown,
  getTaskMarkdown,
  MAX_MARKDOWN_NESTING,
  markdownToBodyNodes,
} from './markdown.js'
export { type BoardMigration, MIGRATIONS } from './migrations/index.js'
export { compareOrdered, keyForIndex } from './order.js'
export {
  compareMoves,
  type MoveRecord,
  type Placement,
  type ReplacedMove,
  readMoves,
  readPlacement,
  replacedMoves,
  type Stamp,
  winningMove,
} from './placement.js'
export {
  type BoardProjection,
  type ColumnRow,
  projectBoard,
  projectTasks,
  type TaskRow,
} from './projection.js'
export {
  addDays,
  boardTasks,
  CALENDAR_MODES,
  type CalendarMode,
  compareManual,
  compileFilter,
  createBoardFilter,
  DEFAULT_LIST_COLUMNS,
  DEFAULT_VIEW_STATE,
  DUE_PRESETS,
  type DuePreset,
  envFromView,
  FILTER_FIELDS,
  type FilteredBoardView,
  type FilteredColumnView,
  type FilterField,
  GROUP_KEYS,
  type GroupKey,
  groupTasks,
  isEmptyFilter,
  LIST_COLUMNS,
  type ListColumn,
  MAX_FILTER_TEXT,
  ME,
  NONE,
  parseDueRange,
  parseViewFilter,
  parseViewState,
  type QueryEnv,
  SORT_KEYS,
  type SortKey,
  type SortSpec,
  sortTasks,
  type TaskGroup,
  TIMELINE_ZOOMS,
  type TimelineZoom,
  textWords,
  VIEW_KINDS,
  type ViewFilter,
  type ViewKind,
  type ViewState,
  weekStart,
} from './query.js'
export { type ColumnInfo, UNPLACED_COLUMN_ID } from './read.js'
export type { BoardError, BoardErrorCode, Result } from './result.js'
export {
  bodyToPlainText,
  getTaskBody,
  getTaskDescription,
  taskDescription,
} from './rich-text.js'
export {
  createSavedView,
  deleteSavedView,
  getDefaultViewId,
  listSavedViews,
  MAX_VIEW_STATE,
  type SavedView,
  setDefaultView,
  updateSavedView,
} from './saved-views.js'
export {
  BOARD_LOCAL_ORIGIN,
  COLUMN_CATEGORIES,
  type ColumnCategory,
  type OpContext,
  PRIORITIES,
  type Priority,
  SCHEMA_VERSION,
} from './schema.js'
export { allTaskSearchTexts, type TaskSearchText, taskSearchTexts } from './search-text.js'
export {
  checkSetParent,
  convertChecklistItemToSubtask,
  getAncestors,
  getDescendantIds,
  getSubtaskProgress,
  getSubtasks,
  getTask,
  moveSubtask,
  setParent,
} from './subtasks.js'
export {
  type CreateTaskInput,
  createTask,
  deleteTask,
  dismissReplacedMove,
  editTaskText,
  getReplacedMoves,
  getTaskText,
  type MarkdownDescription,
  moveTask,
  restoreTask,
  type TaskFields,
  updateTask,
} from './tasks.js'
export {
  buildTaskTree,
  compareParentRecords,
  type ParentRecord,
  readParentRecords,
  type SubtaskProgress,
  TaskTree,
  updateTaskTree,
  winningParent,
} from './tree.js'
export {
  MAX_BOARD_DESCRIPTION,
  MAX_CHECKLIST_TEXT,
  MAX_DESCRIPTION,
  MAX_LABEL_NAME,
  MAX_NAME,
  MAX_TITLE,
  stripUnsafeNameChars,
  UNSAFE_NAME_CHARS,
} from './validate.js'
export { type BoardViewStore, boardViewStore, createBoardViewStore } from './view-store.js'
export {
  type BoardView,
  type ColumnView,
  filterTasks,
  getBoardView,
  sameSummaryFields,
  type TaskDetail,
  type TaskFilter,
  type TaskSummary,
} from './views.js'
