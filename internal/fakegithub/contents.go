package fakegithub

import (
	"encoding/base64"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// contentsMaxInline is the largest file whose content the contents API
// includes; larger files come with encoding "none" and no content.
const contentsMaxInline = 1 << 20

// wrappedBase64 encodes b as GitHub does: base64 with a newline every 60
// characters and at the end.
func wrappedBase64(b []byte) string {
	enc := base64.StdEncoding.EncodeToString(b)
	var sb strings.Builder
	for len(enc) > 60 {
		sb.WriteString(enc[:60] + "\n")
		enc = enc[60:]
	}
	if enc != "" {
		sb.WriteString(enc + "\n")
	}
	return sb.String()
}

// getBlob serves git/get-blob.
func (s *Server) getBlob(c *call, r *Repo) {
	sha := c.params["file_sha"]
	kind, err := r.run("cat-file", "-t", sha)
	if err != nil || strings.TrimSpace(kind) != "blob" || strings.HasPrefix(sha, "-") {
		notFound(c.w)
		return
	}
	data, err := r.run("cat-file", "blob", sha)
	if err != nil {
		s.internalError(c, err)
		return
	}
	writeJSON(c.w, http.StatusOK, obj{"sha": strings.TrimSpace(sha), "node_id": "B_" + sha, "size": len(data),
		"url": s.apiURL("repos/" + r.FullName() + "/git/blobs/" + sha), "content": wrappedBase64([]byte(data)), "encoding": "base64"})
}

// getContent serves repos/get-content for a file or a directory at ref.
func (s *Server) getContent(c *call, r *Repo) {
	ref := c.r.URL.Query().Get("ref")
	commit, ok := r.resolve(ref)
	if !ok {
		writeError(c.w, http.StatusNotFound, "No commit found for the ref "+ref)
		return
	}
	p := strings.Trim(c.params["path"], "/")
	kind, _ := r.run("cat-file", "-t", commit+":"+p) // an error means no such path
	switch strings.TrimSpace(kind) {
	case "blob":
		s.writeFileContent(c, r, commit, p)
	case "tree":
		s.writeDirContent(c, r, commit, p)
	default:
		notFound(c.w)
	}
}

// contentEntry is the common part of a contents-API entry.
func (s *Server) contentEntry(r *Repo, commit, kind, p, sha string, size int) obj {
	self := s.apiURL("repos/" + r.FullName() + "/contents/" + p + "?ref=" + commit)
	gitURL := s.apiURL("repos/" + r.FullName() + "/git/blobs/" + sha)
	web := s.htmlURL(r.FullName() + "/blob/" + commit + "/" + p)
	var download any = s.htmlURL(r.FullName() + "/raw/" + commit + "/" + p)
	if kind == "dir" {
		gitURL = s.apiURL("repos/" + r.FullName() + "/git/trees/" + sha)
		web = s.htmlURL(r.FullName() + "/tree/" + commit + "/" + p)
		download = nil
	}
	return obj{"type": kind, "name": path.Base(p), "path": p, "sha": sha, "size": size,
		"url": self, "git_url": gitURL, "html_url": web, "download_url": download,
		"_links": obj{"self": self, "git": gitURL, "html": web}}
}

// writeFileContent answers with one file and its base64 content.
func (s *Server) writeFileContent(c *call, r *Repo, commit, p string) {
	sha, err := r.run("rev-parse", commit+":"+p)
	if err != nil {
		s.internalError(c, err)
		return
	}
	sha = strings.TrimSpace(sha)
	data, err := r.run("cat-file", "blob", sha)
	if err != nil {
		s.internalError(c, err)
		return
	}
	o := s.contentEntry(r, commit, "file", p, sha, len(data))
	o["encoding"], o["content"] = "base64", wrappedBase64([]byte(data))
	if len(data) > contentsMaxInline {
		o["encoding"], o["content"] = "none", ""
	}
	writeJSON(c.w, http.StatusOK, o)
}

// writeDirContent answers with the entries of a directory.
func (s *Server) writeDirContent(c *call, r *Repo, commit, p string) {
	tree := commit + ":" + p
	out, err := r.run("ls-tree", "-z", "-l", tree)
	if err != nil {
		s.internalError(c, err)
		return
	}
	list := []obj{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\x00"), "\x00") {
		meta, name, ok := strings.Cut(line, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 4 {
			continue
		}
		kind, size := "file", 0
		if f[1] == "tree" {
			kind = "dir"
		} else {
			size, _ = strconv.Atoi(f[3])
		}
		list = append(list, s.contentEntry(r, commit, kind, path.Join(p, name), f[2], size))
	}
	writeJSON(c.w, http.StatusOK, list)
}
