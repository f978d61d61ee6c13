#Requires -RunAsAdministrator
#Requires -Version 5.1
<#
.SYNOPSIS
    Undoes Install-Kiosk.ps1.

.DESCRIPTION
    Gives the EPN-Kiosk account explorer.exe back (removes its Shell Launcher entry; turns
    Shell Launcher off when no other account has a custom shell), unblocks the keys that
    Install-Kiosk.ps1 blocked, turns automatic sign-in off, and removes the policies it set.
    The account and its profile stay unless -RemoveUser is given. The Windows features stay
    on unless -DisableFeatures is given (turning them off needs a restart). EPN Kiosk itself
    stays installed.

    Note: the keys are unblocked whether or not someone blocked them before the install.

    Run with -WhatIf to see every change without making any.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidatePattern('^[A-Za-z0-9._-]{1,20}$')]
    [string]$UserName = 'EPN-Kiosk',

    [switch]$RemoveUser,

    [switch]$DisableFeatures
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$EmbeddedNamespace = 'root\standardcimv2\embedded'
$WinlogonKey = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon'
$RestartShell = 0

# Keep in step with Install-Kiosk.ps1.
$BlockedPredefinedKeys = @(
    'Ctrl+Alt+Del', 'Shift+Ctrl+Esc', 'Win+L',
    'Windows', 'Ctrl+Esc', 'Alt+Tab', 'Alt+Esc', 'Alt+Space', 'Alt+F4', 'Application',
    'Win+Tab', 'Win+D', 'Win+E', 'Win+R', 'Win+M', 'Win+T', 'Win+B', 'Win+I', 'Win+A',
    'Win+U', 'LShift+LAlt+PrintScrn', 'LShift+LAlt+NumLock',
    'LaunchMail', 'LaunchMediaSelect', 'LaunchApp1', 'LaunchApp2', 'BrowserSearch'
)
$BlockedCustomKeys = @('LWin', 'RWin')

function Write-Already([string]$Message) { Write-Host "already: $Message" }

function Remove-RegistryValue([string]$Path, [string]$Name) {
    if (-not (Test-Path -LiteralPath $Path)) { Write-Already "$Path\$Name is not set"; return }
    $current = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $current) { Write-Already "$Path\$Name is not set"; return }
    if ($PSCmdlet.ShouldProcess("$Path\$Name", 'Remove')) {
        Remove-ItemProperty -LiteralPath $Path -Name $Name
    }
}

$user = Get-LocalUser -Name $UserName -ErrorAction SilentlyContinue
$sid = if ($null -ne $user) { $user.SID.Value } else { $null }
$shellLauncher = $null -ne (Get-CimClass -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -ErrorAction SilentlyContinue)
$keyboardFilter = $null -ne (Get-CimClass -Namespace $EmbeddedNamespace -ClassName WEKF_PredefinedKey -ErrorAction SilentlyContinue)

# --- 1. Shell Launcher: explorer.exe again ----------------------------------------------------
if (-not $shellLauncher) {
    Write-Already 'Shell Launcher is not available (nothing to undo)'
} else {
    $custom = $null
    if ($null -ne $sid) {
        try {
            $custom = Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName GetCustomShell -Arguments @{ Sid = $sid }
        } catch {
            $custom = $null
        }
    }
    if ($null -eq $custom -or $custom.ReturnValue -ne 0) {
        Write-Already "$UserName has no custom shell"
    } elseif ($PSCmdlet.ShouldProcess($UserName, 'Remove the custom shell (explorer.exe again)')) {
        Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName RemoveCustomShell -Arguments @{ Sid = $sid } | Out-Null
    }
    $default = Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName GetDefaultShell
    if ($default.Shell -eq 'explorer.exe') {
        Write-Already 'the default shell is explorer.exe'
    } elseif ($PSCmdlet.ShouldProcess('Shell Launcher', 'Set explorer.exe as the default shell')) {
        Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName SetDefaultShell `
            -Arguments @{ Shell = 'explorer.exe'; DefaultAction = [int]$RestartShell } | Out-Null
    }
    $others = @(Get-CimInstance -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -ErrorAction SilentlyContinue |
        Where-Object { $_.Sid -ne $sid })
    $enabled = Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName IsEnabled
    if (-not $enabled.Enabled) {
        Write-Already 'Shell Launcher is off'
    } elseif ($others.Count -gt 0) {
        Write-Warning "Shell Launcher stays on: $($others.Count) other account(s) have a custom shell."
    } elseif ($PSCmdlet.ShouldProcess('Shell Launcher', 'Turn off')) {
        Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName SetEnabled -Arguments @{ Enabled = $false } | Out-Null
    }
}

# --- 2. Keyboard Filter: unblock ----------------------------------------------------------------
if (-not $keyboardFilter) {
    Write-Already 'Keyboard Filter is not available (nothing to undo)'
} else {
    foreach ($id in $BlockedPredefinedKeys) {
        $key = Get-CimInstance -Namespace $EmbeddedNamespace -ClassName WEKF_PredefinedKey -Filter "Id='$id'"
        if ($null -eq $key -or -not $key.Enabled) {
            Write-Already "Keyboard Filter does not block $id"
        } elseif ($PSCmdlet.ShouldProcess("Keyboard Filter $id", 'Unblock')) {
            Set-CimInstance -InputObject $key -Property @{ Enabled = $false } | Out-Null
        }
    }
    foreach ($id in $BlockedCustomKeys) {
        $key = Get-CimInstance -Namespace $EmbeddedNamespace -ClassName WEKF_CustomKey -Filter "Id='$id'"
        if ($null -eq $key) {
            Write-Already "Keyboard Filter has no rule for $id"
        } elseif ($PSCmdlet.ShouldProcess("Keyboard Filter $id", 'Remove the rule')) {
            Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WEKF_CustomKey -MethodName Remove -Arguments @{ CustomKey = $id } | Out-Null
        }
    }
    $accessibility = Get-CimInstance -Namespace $EmbeddedNamespace -ClassName WEKF_Settings -Filter "Name='ForceOffAccessibility'"
    if ($null -eq $accessibility -or "$($accessibility.Value)" -ne 'true') {
        Write-Already 'Keyboard Filter leaves the accessibility shortcuts alone'
    } elseif ($PSCmdlet.ShouldProcess('Keyboard Filter ForceOffAccessibility', 'Set to false')) {
        Set-CimInstance -InputObject $accessibility -Property @{ Value = 'false' } | Out-Null
    }
}

# --- 3. Automatic sign-in off ---------------------------------------------------------------
$winlogon = Get-ItemProperty -LiteralPath $WinlogonKey
if ("$($winlogon.PSObject.Properties['DefaultUserName'].Value)" -ne $UserName) {
    Write-Already "Windows does not sign in as $UserName automatically"
} else {
    if ("$($winlogon.PSObject.Properties['AutoAdminLogon'].Value)" -ne '0' -and
        $PSCmdlet.ShouldProcess('Winlogon AutoAdminLogon', 'Set to 0')) {
        Set-ItemProperty -LiteralPath $WinlogonKey -Name AutoAdminLogon -Value '0'
    }
    Remove-RegistryValue $WinlogonKey 'DefaultPassword'
    Write-Host 'note: a password that Sysinternals Autologon stored as an LSA secret is cleared by running "Autologon64.exe" and choosing Disable, or becomes useless with -RemoveUser.'
}

# --- 4. Policies ---------------------------------------------------------------------------------
Remove-RegistryValue 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' 'HideFastUserSwitching'
if ($null -ne $sid -and -not $RemoveUser) {
    $profileKey = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\$sid"
    $hiveRoot = "Registry::HKEY_USERS\$sid"
    $loadedHere = $false
    if (-not (Test-Path -LiteralPath $hiveRoot) -and (Test-Path -LiteralPath $profileKey)) {
        $profilePath = (Get-ItemProperty -LiteralPath $profileKey).ProfileImagePath
        $hivePath = Join-Path ([Environment]::ExpandEnvironmentVariables($profilePath)) 'NTUSER.DAT'
        & reg.exe load "HKU\$sid" $hivePath | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Could not load $hivePath." }
        $loadedHere = $true
    }
    if (Test-Path -LiteralPath $hiveRoot) {
        try {
            $system = "$hiveRoot\Software\Microsoft\Windows\CurrentVersion\Policies\System"
            $explorer = "$hiveRoot\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer"
            foreach ($name in 'DisableLockWorkstation', 'DisableChangePassword', 'DisableTaskMgr') { Remove-RegistryValue $system $name }
            foreach ($name in 'NoLogoff', 'NoClose') { Remove-RegistryValue $explorer $name }
        } finally {
            if ($loadedHere) {
                [GC]::Collect()
                [GC]::WaitForPendingFinalizers()
                & reg.exe unload "HKU\$sid" | Out-Null
            }
        }
    }
}

# --- 5. The account (only with -RemoveUser) -------------------------------------------------
if ($RemoveUser) {
    if ($null -eq $user) {
        Write-Already "the account $UserName is gone"
    } else {
        $userProfile = Get-CimInstance -ClassName Win32_UserProfile -Filter "SID='$sid'" -ErrorAction SilentlyContinue
        if ($null -ne $userProfile -and $PSCmdlet.ShouldProcess($userProfile.LocalPath, 'Delete the profile of the account')) {
            Remove-CimInstance -InputObject $userProfile
        }
        if ($PSCmdlet.ShouldProcess($UserName, 'Delete the local account')) {
            Remove-LocalUser -Name $UserName
        }
    }
} elseif ($null -ne $user) {
    Write-Host "note: the account $UserName and its profile are kept (give -RemoveUser to delete them)"
}

# --- 6. Windows features (only with -DisableFeatures) ------------------------------------------
if ($DisableFeatures) {
    foreach ($feature in 'Client-EmbeddedShellLauncher', 'Client-KeyboardFilter') {
        $state = Get-WindowsOptionalFeature -Online -FeatureName $feature -ErrorAction SilentlyContinue
        if ($null -eq $state -or $state.State -ne 'Enabled') {
            Write-Already "the Windows feature $feature is off"
        } elseif ($PSCmdlet.ShouldProcess($feature, 'Disable Windows feature')) {
            Disable-WindowsOptionalFeature -Online -FeatureName $feature -NoRestart | Out-Null
        }
    }
}

Write-Host 'done. Restart Windows for every change to take effect.'
