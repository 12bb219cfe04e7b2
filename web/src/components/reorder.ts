// Moving one item of a list, for drag and drop and the keyboard alike.

/** The list with the item at `from` moved to `to` (both clamped to the list). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to))
  if (from === target || from < 0 || from >= items.length) return [...items]
  const next = [...items]
  const [moved] = next.splice(from, 1) as [T]
  next.splice(target, 0, moved)
  return next
}
