package scanner

// keywordSet finds which of many keywords occur in a line, ignoring ASCII
// case, in one pass and without allocating: an Aho-Corasick automaton
// compiled to a dense DFA over byte classes.
//
// Why not a library: the Aho-Corasick packages we measured walk a trie with
// failure links at run time (BobuSumisu/aho-corasick, which gitleaks uses,
// ran at about 150 MB/s over the Go sources corpus with our ~700 keywords and
// was 45% of the scan's time). With every failure transition resolved ahead
// of time, one table lookup per byte, and case folded into the byte classes
// so no lower-cased copy of the line is made, the prefilter is several times
// faster (BenchmarkKeywords); TestKeywordSetMatchesContains and
// FuzzKeywordSet check it against strings.Contains.
type keywordSet struct {
	class   [256]uint8      // byte -> class; 0 for bytes in no keyword
	entry   [256]shapeTrack // byte -> its class, with the bits of shapeEntry
	classes int
	next    []uint32  // state*classes + class -> state, with hasOutput set on accepting states
	out     [][]int32 // state -> keywords that end here (suffixes included)
}

// hasOutput marks, in a transition, a target state where keywords end, so
// the hot loop tests a bit instead of loading the state's output list.
const hasOutput = 1 << 31

// newKeywordSet compiles lower-case ASCII keywords. Non-ASCII bytes in a
// keyword match themselves.
func newKeywordSet(keywords []string) *keywordSet {
	k := &keywordSet{}
	k.assignClasses(keywords)
	goTo, fail := k.buildTrie(keywords)
	k.buildDFA(goTo, fail)
	for c := range k.entry {
		k.entry[c] = shapeEntry(byte(c)) | shapeTrack(k.class[c])
	}
	return k
}

// assignClasses gives each byte used by a keyword its own class, with
// upper-case letters sharing their lower-case letter's class.
func (k *keywordSet) assignClasses(keywords []string) {
	k.classes = 1
	for _, kw := range keywords {
		for i := 0; i < len(kw); i++ {
			c := kw[i]
			if k.class[c] == 0 {
				k.class[c] = uint8(k.classes)
				k.classes++
			}
		}
	}
	for c := 'a'; c <= 'z'; c++ {
		k.class[c-'a'+'A'] = k.class[c]
	}
}

// buildTrie builds the keyword trie (goTo, -1 for no edge) and the failure
// links, breadth first; k.out gets each state's keywords, suffixes merged.
func (k *keywordSet) buildTrie(keywords []string) (goTo [][]int32, fail []int32) {
	newState := func() int32 {
		row := make([]int32, k.classes)
		for i := range row {
			row[i] = -1
		}
		goTo = append(goTo, row)
		k.out = append(k.out, nil)
		return int32(len(goTo) - 1)
	}
	newState() // the root
	for id, kw := range keywords {
		s := int32(0)
		for i := 0; i < len(kw); i++ {
			c := k.class[kw[i]]
			if goTo[s][c] < 0 {
				goTo[s][c] = newState()
			}
			s = goTo[s][c]
		}
		k.out[s] = append(k.out[s], int32(id))
	}
	fail = make([]int32, len(goTo))
	queue := []int32{}
	for c := 0; c < k.classes; c++ {
		if t := goTo[0][c]; t > 0 {
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for c := 0; c < k.classes; c++ {
			t := goTo[s][c]
			if t < 0 {
				continue
			}
			f := fail[s]
			for f > 0 && goTo[f][c] < 0 {
				f = fail[f]
			}
			if g := goTo[f][c]; g >= 0 && g != t {
				fail[t] = g
			}
			k.out[t] = append(k.out[t], k.out[fail[t]]...)
			queue = append(queue, t)
		}
	}
	return goTo, fail
}

// buildDFA resolves every failure transition into the dense table.
func (k *keywordSet) buildDFA(goTo [][]int32, fail []int32) {
	n := len(goTo)
	k.next = make([]uint32, n*k.classes)
	// States are numbered breadth first except for insertion order; resolve
	// in BFS order so fail[s]'s row is complete before s's.
	order := []int32{0}
	for i := 0; i < len(order); i++ {
		s := order[i]
		for c := 0; c < k.classes; c++ {
			if t := goTo[s][c]; t > 0 {
				order = append(order, t)
			}
		}
	}
	for _, s := range order {
		for c := 0; c < k.classes; c++ {
			switch t := goTo[s][c]; {
			case t > 0:
				v := uint32(t)
				if len(k.out[t]) > 0 {
					v |= hasOutput
				}
				k.next[int(s)*k.classes+c] = v
			case s == 0:
				k.next[c] = 0
			default:
				k.next[int(s)*k.classes+c] = k.next[int(fail[s])*k.classes+c]
			}
		}
	}
}

// match calls fn with the index of every keyword occurrence in text, in
// order of where the occurrence ends (a keyword occurring twice is reported
// twice), and returns text's encodedShape.
func (k *keywordSet) match(text []byte, fn func(keyword int32)) encodedShape {
	s, nc := uint32(0), uint32(k.classes)
	next, entry := k.next, &k.entry
	var run, seen shapeTrack
	for _, b := range text {
		e := entry[b]
		t := next[s*nc+uint32(uint8(e))]
		s = t &^ hasOutput
		if t&hasOutput != 0 {
			for _, id := range k.out[s] {
				fn(id)
			}
		}
		run = (run + runUnit) & e
		seen |= run | e&pctBit
	}
	return seen.shape()
}

// matchAt is match that also passes the offset just past each occurrence.
func (k *keywordSet) matchAt(text []byte, fn func(keyword int32, end int)) encodedShape {
	s, nc := uint32(0), uint32(k.classes)
	next, entry := k.next, &k.entry
	var run, seen shapeTrack
	for i, b := range text {
		e := entry[b]
		t := next[s*nc+uint32(uint8(e))]
		s = t &^ hasOutput
		if t&hasOutput != 0 {
			for _, id := range k.out[s] {
				fn(id, i+1)
			}
		}
		run = (run + runUnit) & e
		seen |= run | e&pctBit
	}
	return seen.shape()
}
