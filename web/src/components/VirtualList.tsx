// A windowed list: only the rows in view (and a few around them) are in the DOM, so a list of 500
// characters scrolls as fast as one of 5. Rows have one fixed height.
import {useState, type ReactNode, type UIEvent} from 'react'

export interface VirtualListProps<T> {
  items: readonly T[]
  rowHeight: number
  /** The height of the scrolling box in pixels. */
  height: number
  label: string
  getKey(item: T): string
  renderRow(item: T, index: number): ReactNode
  overscan?: number
}

export function visibleRange(scrollTop: number, height: number, rowHeight: number, count: number, overscan: number) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan)
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan)
  return {first, last}
}

export function VirtualList<T>({
  items,
  rowHeight,
  height,
  label,
  getKey,
  renderRow,
  overscan = 4,
}: VirtualListProps<T>) {
  const [scrollTop, setScrollTop] = useState(0)
  const {first, last} = visibleRange(scrollTop, height, rowHeight, items.length, overscan)
  const onScroll = (event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop)
  return (
    <div
      className="virtual-list"
      style={{height, overflowY: 'auto'}}
      onScroll={onScroll}
      tabIndex={0}
      aria-label={label}
      role="region"
    >
      <ul style={{height: items.length * rowHeight, position: 'relative', margin: 0, padding: 0}} aria-label={label}>
        {items.slice(first, last).map((item, offset) => {
          const index = first + offset
          return (
            <li
              key={getKey(item)}
              aria-setsize={items.length}
              aria-posinset={index + 1}
              style={{
                position: 'absolute',
                top: index * rowHeight,
                height: rowHeight,
                left: 0,
                right: 0,
                listStyle: 'none',
              }}
            >
              {renderRow(item, index)}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
