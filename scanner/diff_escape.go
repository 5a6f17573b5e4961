package scanner

// esc starts a terminal escape sequence.
const esc = 0x1b

// stripEscapes appends text to dst without its terminal escape sequences, as
// git writes them with color.ui=always or --color: CSI sequences (SGR colours
// "\x1b[32m", "\x1b[m", erase-line "\x1b[K"), OSC strings (hyperlinks, ended by
// BEL or ESC \), and two-byte and nF escapes. A lone ESC at the end is
// dropped.
func stripEscapes(dst, text []byte) []byte {
	for i := 0; i < len(text); {
		c := text[i]
		if c != esc {
			dst = append(dst, c)
			i++
			continue
		}
		i = skipEscape(text, i+1)
	}
	return dst
}

// skipEscape returns the index just past the escape sequence whose ESC is
// at i-1.
func skipEscape(text []byte, i int) int {
	if i >= len(text) {
		return i
	}
	switch text[i] {
	case '[': // CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, final 0x40-0x7E
		i++
		for i < len(text) && text[i] >= 0x20 && text[i] <= 0x3F {
			i++
		}
		if i < len(text) && text[i] >= 0x40 && text[i] <= 0x7E {
			i++
		}
		return i
	case ']': // OSC: up to BEL or ST (ESC \)
		for i++; i < len(text); i++ {
			if text[i] == 0x07 {
				return i + 1
			}
			if text[i] == esc && i+1 < len(text) && text[i+1] == '\\' {
				return i + 2
			}
		}
		return i
	}
	for i < len(text) && text[i] >= 0x20 && text[i] <= 0x2F { // nF intermediates
		i++
	}
	if i < len(text) && text[i] >= 0x30 && text[i] <= 0x7E {
		i++
	}
	return i
}
