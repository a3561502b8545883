#ifndef TRENDMIX_CFILESYSTEM_H
#define TRENDMIX_CFILESYSTEM_H

/// Exchanges two paths at once (Linux renameat2 with RENAME_EXCHANGE): each name then points to what the other
/// did, with no moment where either is missing. Returns 0, or -1 with errno set (EINVAL or ENOSYS where the file
/// system or kernel cannot, ENOENT when either is missing). Glibc declares renameat2 only under _GNU_SOURCE,
/// which Swift's Glibc module does not define.
int trendmix_exchange_paths(const char *from, const char *to);

#endif
