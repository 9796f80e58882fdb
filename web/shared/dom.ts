// A tiny element builder: the pages are small enough that a framework would cost more bytes than it saves.
type Child = Node | string | number | false | null | undefined
type Attributes = Record<string, string | number | boolean | EventListener | null | undefined>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value)
    else if (value === true) element.setAttribute(name, '')
    else element.setAttribute(name, String(value))
  }
  append(element, children)
  return element
}

function append(parent: Node, children: (Child | Child[])[]) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

/** Replaces the children of `parent`. */
export function render(parent: Element, ...children: (Child | Child[])[]) {
  parent.replaceChildren()
  append(parent, children)
}

let idCounter = 0
export const uniqueId = (prefix: string) => `${prefix}-${++idCounter}`
