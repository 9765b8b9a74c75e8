package sim

import (
	"slices"
	"time"
)

// sharedList is the list the tasks append to, written as the README's
// program writes it: a holder takes a snapshot, list(shared), when it
// acquires and, when it releases, replaces the list with that snapshot plus
// its value, shared[:] = snapshot + [value]. With mutual exclusion that is an
// append; without, a write-back drops whatever others appended since its
// snapshot (a lost update).
//
// Every version of the list is the version it was made from plus one value,
// so the versions form a tree of nodes, each pointing at the node of the value
// before it: a snapshot and a write-back cost O(1) and copy nothing. Only the
// newest sharedKeep values of a live version (the list now, and the snapshots
// holders still hold) are ever read, so the tree is cut into blocks of
// sharedKeep positions, and once no live version ends in a block, the block's
// link to the one before it is cut: memory stays bounded however long the run,
// at two blocks a live version at most. Nodes are reference counted in a
// slice with a free list, so a run in its steady state allocates nothing.
type sharedList struct {
	nodes   []sharedNode
	free    []version
	head    version // the list now
	appends int64
}

// version is a node index: the list that ends with that node's value. The
// empty list is noVersion.
type version int32

const noVersion version = -1

// sharedKeep is how many of a version's newest values stay readable: the
// summary's 1000 and more.
const sharedKeep = 1024

type sharedNode struct {
	item SharedItem
	pos  int64   // the value's index in its list
	prev version // the value before, noVersion at the start or past a cut
	blk  version // the first node of this node's block
	refs int32   // nodes pointing back here, and live versions ending here
	live int32   // for a block's first node: live versions ending in the block
}

// SharedItem is one value of the shared list and the task that appended it.
type SharedItem struct {
	Value int32
	Task  int32
}

func newSharedList() sharedList { return sharedList{head: noVersion} }

// length returns how many values version v holds.
func (s *sharedList) length(v version) int64 {
	if v == noVersion {
		return 0
	}
	return s.nodes[v].pos + 1
}

// Len returns the length of the list now.
func (s *sharedList) Len() int64 { return s.length(s.head) }

// take is list(shared): the version a holder writes back on release. It
// stays live until drop.
func (s *sharedList) take() version {
	s.retain(s.head)
	return s.head
}

// write is shared[:] = snapshot + [value]; the caller still drops snapshot.
func (s *sharedList) write(snapshot version, it SharedItem) {
	n := s.alloc()
	pos := s.length(snapshot)
	blk := n
	if pos%sharedKeep != 0 {
		blk = s.nodes[snapshot].blk
	}
	if snapshot != noVersion {
		s.nodes[snapshot].refs++
	}
	s.nodes[n] = sharedNode{item: it, pos: pos, prev: snapshot, blk: blk}
	s.retain(n)
	s.drop(s.head)
	s.head = n
	s.appends++
}

// lost appends to dst, oldest first, the values of the list now that a
// write-back of snapshot drops: those after the newest value the two share.
// Past the values a live version keeps readable, none are counted.
func (s *sharedList) lost(dst []SharedItem, snapshot version) []SharedItem {
	start := len(dst)
	h, a := s.head, snapshot
	for h != noVersion && s.length(h) > s.length(a) {
		dst = append(dst, s.nodes[h].item)
		h = s.nodes[h].prev
	}
	for a != noVersion && s.length(a) > s.length(h) {
		a = s.nodes[a].prev
	}
	for h != a && h != noVersion && a != noVersion {
		dst = append(dst, s.nodes[h].item)
		h, a = s.nodes[h].prev, s.nodes[a].prev
	}
	slices.Reverse(dst[start:])
	return dst
}

func (s *sharedList) retain(v version) {
	if v == noVersion {
		return
	}
	s.nodes[v].refs++
	s.nodes[s.nodes[v].blk].live++
}

// drop ends a live version: a snapshot written back or abandoned, or the list
// replaced by a write.
func (s *sharedList) drop(v version) {
	if v == noVersion {
		return
	}
	b := s.nodes[v].blk
	if s.nodes[b].live--; s.nodes[b].live == 0 {
		// No live version ends in this block: none reads past its start.
		if p := s.nodes[b].prev; p != noVersion {
			s.nodes[b].prev = noVersion
			s.unref(p)
		}
	}
	s.unref(v)
}

// unref drops one reference to v, freeing the nodes nothing points at any more.
func (s *sharedList) unref(v version) {
	for v != noVersion {
		if s.nodes[v].refs--; s.nodes[v].refs > 0 {
			return
		}
		p := s.nodes[v].prev
		s.free = append(s.free, v)
		v = p
	}
}

func (s *sharedList) alloc() version {
	if n := len(s.free); n > 0 {
		v := s.free[n-1]
		s.free = s.free[:n-1]
		return v
	}
	s.nodes = append(s.nodes, sharedNode{})
	return version(len(s.nodes) - 1)
}

// newest appends up to k (at most sharedKeep) of the list's newest values to
// dst, oldest first.
func (s *sharedList) newest(dst []SharedItem, k int) []SharedItem {
	k = int(min(int64(min(k, sharedKeep)), s.Len()))
	start := len(dst)
	for v := s.head; v != noVersion && len(dst)-start < k; v = s.nodes[v].prev {
		dst = append(dst, s.nodes[v].item)
	}
	for i, j := start, len(dst)-1; i < j; i, j = i+1, j-1 {
		dst[i], dst[j] = dst[j], dst[i]
	}
	return dst
}

// Overwrote returns, while an Append event is being observed, the values
// of the shared list that its write dropped, oldest first, and when the
// list it wrote back was read: a lost update, which only a write-back of a
// snapshot taken before other appends makes. The slice is reused by the
// next write.
func (e *Engine) Overwrote() ([]SharedItem, time.Duration) {
	return e.overwrote, time.Duration(e.readAt)
}

// SharedValues appends up to n (at most 1024) of the shared list's newest
// values to dst, oldest first.
func (e *Engine) SharedValues(dst []SharedItem, n int) []SharedItem { return e.shared.newest(dst, n) }
