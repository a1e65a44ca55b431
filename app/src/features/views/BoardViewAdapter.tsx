import { Board } from '../board/Board'
import type { ViewProps } from './registry'

/** The Kanban board as a view: filtered columns, drops placed among all the tasks. */
export function BoardViewAdapter(props: ViewProps) {
  return (
    <Board
      view={props.filtered}
      full={props.filtered === props.full ? undefined : props.full}
      presence={props.presence}
    />
  )
}
