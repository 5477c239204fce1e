package mockserver

import "math/bits"

// bitset is a set of small non-negative integers. The store uses one per user for the fixture projects
// the user may read, indexed by project.seedIndex: 12.5 KB for 100,000 projects where a map of ids
// took megabytes, and a membership test is a shift and a mask rather than a hash lookup.
type bitset []uint64

// has reports whether i is in the set; negative or out-of-range i is not.
func (b bitset) has(i int) bool {
	return i >= 0 && i/64 < len(b) && b[i/64]&(1<<(uint(i)%64)) != 0
}

// add puts i (non-negative) in the set, growing it as needed.
func (b *bitset) add(i int) {
	if w := i / 64; w >= len(*b) {
		*b = append(*b, make(bitset, w+1-len(*b))...)
	}
	(*b)[i/64] |= 1 << (uint(i) % 64)
}

// count is the number of members.
func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}
