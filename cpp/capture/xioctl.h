#pragma once

#include <cerrno>
#include <sys/ioctl.h>

// ioctl() again while a signal interrupts it, as every V4L2 call here wants.
inline int xioctl(int fd, unsigned long request, void *arg)
{
    int r;
    do {
        r = ioctl(fd, request, arg);
    } while (r == -1 && errno == EINTR);
    return r;
}
