package decisions

import "strings"

// proseLine is a line of a comment that is plain text: not inside a quoted
// reply, a fenced code block or an indented code block.
type proseLine struct {
	num  int    // 1-based line number in the comment
	text string // the line, leading whitespace removed
}

// proseLines splits a comment into lines (LF, CRLF or CR) and keeps those a
// command may be on. It follows CommonMark as far as commands need:
//   - a fence is three or more ` or ~ indented at most three columns (a `
//     fence's info string may not contain `); it ends at a line of the same
//     character at least as long, or at the end of the comment;
//   - a line indented four columns or more (a tab counts to the next
//     multiple of four) is code unless it continues a paragraph, since an
//     indented code block cannot interrupt one;
//   - a line whose first non-blank character is ">" is quoted. The line after
//     a quote is not, whatever CommonMark's lazy continuation says: a reply
//     typed under a quote is the user's own.
func proseLines(body string) []proseLine {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var (
		out       []proseLine
		fence     string // the opening fence while inside a fenced block
		paragraph bool   // the previous line was paragraph text
	)
	for i, line := range strings.Split(body, "\n") {
		indent, text := splitIndent(line)
		switch {
		case fence != "":
			if indent < 4 && closesFence(text, fence) {
				fence = ""
			}
		case text == "":
			paragraph = false
		case indent >= 4 && !paragraph:
			// indented code
		case indent < 4 && opensFence(text) != "":
			fence, paragraph = opensFence(text), false
		case indent < 4 && text[0] == '>':
			paragraph = false
		default:
			paragraph = true
			out = append(out, proseLine{num: i + 1, text: text})
		}
	}
	return out
}

// splitIndent returns the width of line's leading whitespace in columns
// (tabs stop every four) and the rest of the line, right-trimmed. A line of
// only whitespace has an empty rest.
func splitIndent(line string) (int, string) {
	cols := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			cols++
		case '\t':
			cols += 4 - cols%4
		default:
			return cols, strings.TrimRight(line[i:], " \t")
		}
	}
	return cols, ""
}

// opensFence returns the fence that text opens (the run of ` or ~), or "".
func opensFence(text string) string {
	run := fenceRun(text)
	if len(run) < 3 {
		return ""
	}
	if run[0] == '`' && strings.Contains(text[len(run):], "`") {
		return "" // inline code, not a fence
	}
	return run
}

// closesFence reports whether text closes a block opened by fence: the same
// character, at least as many, and nothing else.
func closesFence(text, fence string) bool {
	run := fenceRun(text)
	return len(run) >= len(fence) && run[0] == fence[0] && strings.TrimSpace(text[len(run):]) == ""
}

// fenceRun returns the leading run of ` or ~ in text.
func fenceRun(text string) string {
	if text == "" || text[0] != '`' && text[0] != '~' {
		return ""
	}
	n := 1
	for n < len(text) && text[n] == text[0] {
		n++
	}
	return text[:n]
}
