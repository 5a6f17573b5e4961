package repoconfig

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// The node tree of the file locates what the strict decoder reports by line
// only: the column, the key path, the span of a section.

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// site is a node with its key path.
type site struct {
	node  *yaml.Node
	path  string
	isKey bool
}

// lineIndex lists the nodes starting on each line, in document order.
type lineIndex map[int][]site

func newLineIndex(root *yaml.Node) lineIndex {
	idx := lineIndex{}
	visitAll(root, "", func(n *yaml.Node, path string, isKey bool) {
		idx[n.Line] = append(idx[n.Line], site{n, path, isKey})
	})
	return idx
}

// find returns the first node on a line that satisfies match, with its path.
func (idx lineIndex) find(line int, match func(n *yaml.Node, isKey bool) bool) (*yaml.Node, string) {
	for _, s := range idx[line] {
		if match(s.node, s.isKey) {
			return s.node, s.path
		}
	}
	return nil, ""
}

// visitAll calls fn for every node under n (not following aliases) with its
// key path ("rules.custom[0].pattern"); isKey marks a mapping's key.
func visitAll(n *yaml.Node, path string, fn func(n *yaml.Node, path string, isKey bool)) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		fn(n, path, false)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			visitAll(c, path, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kp := joinKey(path, k.Value)
			fn(k, kp, true)
			visitAll(v, kp, fn)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			visitAll(c, path+"["+strconv.Itoa(i)+"]", fn)
		}
	case yaml.ScalarNode:
		fn(n, path, false)
	}
}

// child returns the value under key in a mapping (or a document holding
// one), or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	_, v := entry(n, key)
	return v
}

// entry returns the key node and value node of key in a mapping (or a
// document holding one), or nils.
func entry(n *yaml.Node, key string) (k, v *yaml.Node) {
	if n == nil {
		return nil, nil
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// span is a range of lines, inclusive.
type span struct{ first, last int }

func (s span) contains(line int) bool { return line >= s.first && line <= s.last }

// spanOf returns the lines a node's own nodes start on, from first to last:
// every line the decoder could blame for a problem inside it.
func spanOf(n *yaml.Node) span {
	s := span{n.Line, n.Line}
	visitAll(n, "", func(c *yaml.Node, _ string, _ bool) {
		s.first, s.last = min(s.first, c.Line), max(s.last, c.Line)
	})
	return s
}
